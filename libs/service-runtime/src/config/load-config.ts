import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ConfigValidationError, type ConfigProblem } from './config-validation.error';

type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * Validates `env` against a class-validator schema and returns the typed instance. Unknown
 * variables are ignored (the process environment holds many), empty strings count as unset, and
 * every failing key is reported in one {@link ConfigValidationError}.
 */
export function loadEnv<T extends object>(schema: new () => T, env: EnvSource): T {
  const plain: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const instance = plainToInstance(schema, plain, { enableImplicitConversion: true });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigValidationError(errors.map(toProblem));
  return instance;
}

function toProblem(error: ValidationError): ConfigProblem {
  return { key: error.property, problems: Object.values(error.constraints ?? { invalid: 'is invalid' }) };
}
