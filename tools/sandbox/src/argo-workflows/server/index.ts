export { argoWorkflowsHandler, type ArgoWorkflowsServerOptions } from './argo-workflows.server';
export { TOKEN_NOT_VALID } from './argo-auth';
