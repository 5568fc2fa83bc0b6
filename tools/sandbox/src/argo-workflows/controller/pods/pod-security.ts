import type { Container, Template, WorkflowSpec } from '../../workflow-types';
import type { ContainerSecurityContext, PodSecurityContext } from './step-identity';

/**
 * The pod's securityContext as Argo builds the pod (workflow/controller/workflowpod.go): the
 * template's when it has one, else the workflow's. The template's replaces the workflow's whole
 * (an fsGroup set for the workflow is gone in a template that sets only runAsUser).
 */
export function podSecurityContext(template: Template, spec: WorkflowSpec): PodSecurityContext {
  return template.securityContext ?? spec.securityContext ?? {};
}

/** The main container's own securityContext (its fields win over the pod's, field by field). */
export function containerSecurityContext(container: Container): ContainerSecurityContext {
  return container.securityContext ?? {};
}
