import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { InvalidRequestError } from '@platform/errors';
import type { FieldProblem } from './error-envelope';

/**
 * Global validation: DTOs are class-validator classes; unknown fields are refused (not silently
 * dropped) and every bad field is listed, nested ones by their dotted path.
 */
export function createValidationPipe(): ValidationPipe {
  return new RememberingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors: ValidationError[]) => {
      const fields = flatten(errors, '');
      const names = fields.map((f) => f.field).join(', ');
      return new InvalidRequestError(
        'VALIDATION_FAILED',
        `The request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${names}`,
        { fields },
      );
    },
  });
}

function flatten(errors: ValidationError[], prefix: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const own: FieldProblem[] = error.constraints
      ? [{ field, problems: Object.values(error.constraints) }]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** How many distinct valid query strings are remembered per DTO class. */
export const REMEMBERED_QUERIES = 500;

/**
 * Remembers the outcome of valid query strings. Validation is pure and queries repeat: a portal
 * asks the same few list filters over and over. class-validator builds a ValidationError per
 * property even when every one passes; on the summary's list it was a tenth of a request's CPU
 * and a fifth of its garbage. Only queries (flat, short) are remembered, only valid ones (a bad
 * one is checked again and answered with its problems), and each caller gets its own copy.
 */
export class RememberingValidationPipe extends ValidationPipe {
  private readonly valid = new WeakMap<object, Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (metadata.type !== 'query' || type === undefined || typeof value !== 'object' || value === null)
      return super.transform(value, metadata);
    const key = JSON.stringify(value);
    const known = this.valid.get(type) ?? new Map<string, object>();
    const remembered = known.get(key);
    if (remembered !== undefined) return copy(remembered);
    const result: unknown = await super.transform(value, metadata);
    if (typeof result !== 'object' || result === null) return result;
    if (known.size >= REMEMBERED_QUERIES) known.delete(known.keys().next().value as string);
    known.set(key, copy(result));
    this.valid.set(type, known);
    return result;
  }
}

function copy(dto: object): object {
  return Object.assign(Object.create(Object.getPrototypeOf(dto) as object | null) as object, dto);
}
