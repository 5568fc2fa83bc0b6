import { getMetadataStorage } from 'class-validator';
import { readEnvDoc } from './env-doc';

/** What a config schema declares about one environment variable. */
export interface EnvKeyDescription {
  key: string;
  required: boolean;
  default?: string | number | boolean;
  description: string;
}

/**
 * Lists the environment variables a config schema knows, read from its class-validator metadata:
 * a key is required when it has no default and is not `@IsOptional()`.
 */
export function describeEnv(schema: new () => object): EnvKeyDescription[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  const defaults = new schema() as Record<string, unknown>;
  const keys = [...new Set(metadata.map((m) => m.propertyName))];
  return keys.map((key) => {
    const optional = metadata.some((m) => m.propertyName === key && m.type === 'conditionalValidation');
    const value = defaults[key];
    const description: EnvKeyDescription = {
      key,
      required: value === undefined && !optional,
      description: readEnvDoc(schema.prototype as object, key) ?? '',
    };
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      description.default = value;
    }
    return description;
  });
}
