export { adminHandler, type AdminHooks } from './admin.server';
export {
  DevIdentity,
  TOKEN_AUDIENCE,
  verifySandboxToken,
  type SandboxClaims,
  type TokenRequest,
} from './dev-identity';
