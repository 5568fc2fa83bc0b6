import 'reflect-metadata';

const ENV_DOC = Symbol('platform:env-doc');

/**
 * Documents an environment variable of a config schema. The text is what `describeEnv` returns,
 * which the README's configuration reference and the deploy/ consistency tests are built from.
 */
export function EnvDoc(description: string): PropertyDecorator {
  return (target, propertyKey) => {
    Reflect.defineMetadata(ENV_DOC, description, target, propertyKey);
  };
}

export function readEnvDoc(target: object, key: string): string | undefined {
  return Reflect.getMetadata(ENV_DOC, target, key) as string | undefined;
}
