import { ValidateBy, type ValidationArguments } from 'class-validator';

/**
 * Refuses a URL with a user name or password in it. URLs of upstreams end up where secrets must
 * not: workflow parameters (which anyone who may read the task sees), logs and error messages.
 * Credentials have keys of their own.
 */
export function NoUrlCredentials(): PropertyDecorator {
  return ValidateBy({
    name: 'noUrlCredentials',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !hasCredentials(value),
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'the URL'} must not carry credentials (user:password@); set them in their own keys`,
    },
  });
}

function hasCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    // Not a URL at all: the key's own URL check reports that.
    return false;
  }
}
