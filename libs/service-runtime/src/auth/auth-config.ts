/** How tokens are verified; derived from the AUTH_* environment. */
export class AuthConfig {
  /** JWKS endpoint of the identity provider (production). */
  jwksUrl?: string;
  /** Shared HS256 secret (development only). */
  jwtSecret?: string;
  issuer?: string;
  audience?: string;
  teamsClaim!: string;
  groupsClaim!: string;
  adminGroup!: string;
}
