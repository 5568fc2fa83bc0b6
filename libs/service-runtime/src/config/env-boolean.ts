import { Transform } from 'class-transformer';

/**
 * Reads "true"/"false" as booleans. Implicit conversion would turn the string "false" into
 * `true` (any non-empty string is truthy), so boolean keys read the raw value themselves.
 */
export function EnvBoolean(): PropertyDecorator {
  return Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const raw = obj[key];
    if (raw === 'true' || raw === true) return true;
    if (raw === 'false' || raw === false) return false;
    return raw;
  });
}
