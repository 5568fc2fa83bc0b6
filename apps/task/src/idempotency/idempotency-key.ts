import { InvalidRequestError } from '@platform/errors';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

// Printable ASCII without spaces, as clients generate them (UUIDs, ULIDs, "deploy-42").
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's Idempotency-Key, undefined when absent, 400 when it is not a usable key. */
export function idempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !KEY.test(key)) {
    throw new InvalidRequestError(
      'INVALID_IDEMPOTENCY_KEY',
      'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces (a UUID works)',
      { header: 'Idempotency-Key' },
    );
  }
  return key;
}
