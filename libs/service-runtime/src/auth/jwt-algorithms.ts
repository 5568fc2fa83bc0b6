/** Algorithms of keys published in a JWKS: the identity provider keeps the private half. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** Algorithms of a shared secret: whoever verifies can also sign, so development only. */
export const SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

/** The default allow-list: every asymmetric algorithm with a JWKS, HS256 with the development secret. */
export function defaultAlgorithms(withJwks: boolean): string[] {
  return withJwks ? [...ASYMMETRIC_ALGORITHMS] : ['HS256'];
}

/**
 * What is wrong with an AUTH_ALGORITHMS list for the way tokens are verified, or undefined. A
 * secret algorithm next to a JWKS would let a token signed with the public key as an HMAC secret
 * pass (algorithm confusion); `none` is never accepted.
 */
export function algorithmsProblem(list: readonly string[], withJwks: boolean): string | undefined {
  const allowed: readonly string[] = withJwks ? ASYMMETRIC_ALGORITHMS : SECRET_ALGORITHMS;
  const refused = list.filter((alg) => !allowed.includes(alg));
  if (list.length === 0) return 'AUTH_ALGORITHMS must name at least one algorithm';
  if (refused.length === 0) return undefined;
  return `AUTH_ALGORITHMS may only name ${withJwks ? 'asymmetric algorithms with AUTH_JWKS_URL' : 'HMAC algorithms with AUTH_JWT_SECRET'} (${allowed.join(', ')}); not ${refused.join(', ')}`;
}
