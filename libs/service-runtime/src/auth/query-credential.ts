import { UnauthorizedError } from '@platform/errors';

/** The query parameters that carry a credential on stream routes. */
export const QUERY_CREDENTIALS = ['access_token', 'ticket'] as const;
export type QueryCredentialKind = (typeof QUERY_CREDENTIALS)[number];

export interface QueryCredential {
  kind: QueryCredentialKind;
  value: string;
}

const USE_HEADER = 'send it in the Authorization header: Authorization: Bearer <jwt>';

/**
 * Takes the credential out of a request's parsed query (the parser has decoded the keys, so
 * `access%5Ftoken` arrives as `access_token`). Only a stream route may carry one, once, under its
 * exact lowercase name; anything else is a 401 that says what to do instead. The parameters are
 * removed from the query, so routes never see or validate them.
 */
export function takeQueryCredential(
  query: Record<string, unknown> | undefined,
  streamRoute: boolean,
): QueryCredential | undefined {
  if (query === undefined || query === null) return undefined;
  const keys = Object.keys(query).filter((key) =>
    (QUERY_CREDENTIALS as readonly string[]).includes(key.toLowerCase()),
  );
  if (keys.length === 0) return undefined;
  const found = keys.map((key) => ({ key, value: query[key] }));
  for (const key of keys) delete query[key];
  if (!streamRoute) {
    throw new UnauthorizedError(
      'UNAUTHENTICATED',
      `a credential in the URL (${keys.join(', ')}) is accepted on stream routes only; ${USE_HEADER}`,
    );
  }
  const [first] = found;
  if (found.length > 1 || first === undefined || typeof first.value !== 'string') {
    throw new UnauthorizedError(
      'UNAUTHENTICATED',
      'send one credential in the URL: a single ticket or access_token parameter',
    );
  }
  if (!(QUERY_CREDENTIALS as readonly string[]).includes(first.key)) {
    throw new UnauthorizedError('UNAUTHENTICATED', `the parameter is spelled ${first.key.toLowerCase()}`);
  }
  return { kind: first.key as QueryCredentialKind, value: first.value };
}
