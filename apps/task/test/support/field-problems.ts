import type { Paramtype, Type } from '@nestjs/common';
import { InvalidRequestError } from '@platform/errors';
import { createValidationPipe, type FieldProblem } from '@platform/service-runtime';

const pipe = createValidationPipe();

/**
 * What the services' global validation pipe says about `value` as a `dto`, by field: the same
 * rules and messages as over HTTP, without starting an app. Empty when the value is accepted.
 */
export async function fieldProblems(
  dto: Type<object>,
  value: unknown,
  type: Paramtype = 'body',
): Promise<Record<string, string[]>> {
  try {
    await pipe.transform(value, { type, metatype: dto });
    return {};
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    const fields = (error.details?.fields ?? []) as FieldProblem[];
    return Object.fromEntries(fields.map((f) => [f.field, f.problems]));
  }
}
