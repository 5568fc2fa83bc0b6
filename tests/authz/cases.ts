import type { IdentityProvider } from './identity-provider';

/** Who calls: the eleven columns of the matrix. */
export const CASES = [
  'no token',
  'malformed',
  'bad signature',
  'expired',
  'no exp',
  'wrong audience',
  'wrong issuer',
  'wildcard team claim',
  'member of another team',
  "member of the app's team",
  'admin',
] as const;
export type Case = (typeof CASES)[number];

/** The team that owns the matrix's app and task. */
export const APP_TEAM = 'payments';

/** The Authorization header each case sends (undefined: none). */
export async function authorizationFor(idp: IdentityProvider): Promise<Record<Case, string | undefined>> {
  const bearer = (token: string): string => `Bearer ${token}`;
  const member = { sub: 'alice', teams: [APP_TEAM] };
  return {
    'no token': undefined,
    malformed: 'Bearer not.a.jwt',
    'bad signature': bearer(await idp.sign(member, 'impostor')),
    expired: bearer(await idp.sign({ ...member, expiresIn: -60 })),
    'no exp': bearer(await idp.sign({ ...member, expiresIn: null })),
    'wrong audience': bearer(await idp.sign({ ...member, aud: 'another-api' })),
    'wrong issuer': bearer(await idp.sign({ ...member, iss: 'https://idp.elsewhere.test' })),
    'wildcard team claim': bearer(await idp.sign({ sub: 'mallory', teams: ['*', 'payments,content', '-'] })),
    'member of another team': bearer(await idp.sign({ sub: 'bob', teams: ['content'] })),
    "member of the app's team": bearer(await idp.sign(member)),
    admin: bearer(await idp.sign({ sub: 'root', teams: [], groups: ['platform-admins'] })),
  };
}
