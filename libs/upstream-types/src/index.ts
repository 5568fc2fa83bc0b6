/**
 * The upstream objects as the platform reads them: types only, so that the domain model (and the
 * browser client on top of it) can name a Workflow without pulling in the HTTP clients that fetch
 * one. `@platform/argo-client` speaks these types and re-exports them.
 */
export type * from './argo-workflows';
export type * from './argo-cd';
