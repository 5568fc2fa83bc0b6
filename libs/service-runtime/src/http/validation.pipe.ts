import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InvalidRequestError } from '@platform/errors';
import type { FieldProblem } from './error-envelope';

/**
 * Global validation: DTOs are class-validator classes; unknown fields are refused (not silently
 * dropped) and every bad field is listed, nested ones by their dotted path.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
