export { adminHandler, type AdminHooks, type AdminRoutes } from './admin.server';
export {
  DevIdentity,
  TOKEN_AUDIENCE,
  verifySandboxToken,
  type SandboxClaims,
  type TokenRequest,
} from './dev-identity';
