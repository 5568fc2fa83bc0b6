/** How tokens are verified; derived from the AUTH_* environment. */
export class AuthConfig {
  /** JWKS endpoint of the identity provider (production). */
  jwksUrl?: string;
  /** Shared HS256 secret (development only). */
  jwtSecret?: string;
  /** Expected `iss`; unset only in development. */
  issuer?: string;
  audience!: string;
  /** The JWS algorithms a token may be signed with. */
  algorithms!: string[];
  /** Tokens older than this (by `iat`) are refused, in seconds; unset: only `exp` counts. */
  maxTokenAgeSeconds?: number;
  teamsClaim!: string;
  groupsClaim!: string;
  adminGroup!: string;
}
