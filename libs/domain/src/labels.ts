/**
 * The labels that tie the platform's objects together: every Workflow, Argo CD Application and
 * Kubernetes object the platform creates carries the app and team; workflows also the task type
 * and the requester. Selectors in every service are built from these keys.
 */
export const Labels = {
  app: 'platform-api/app',
  team: 'platform-api/team',
  template: 'platform-api/template',
  /** On an Argo CD Application: the environment it deploys (one Application per app and environment). */
  environment: 'platform-api/environment',
  taskType: 'platform-api/task-type',
  requestedBy: 'platform-api/requested-by',
} as const;

/**
 * Annotations of the platform's workflows: what does not fit a label value (a requester id such
 * as an e-mail address) and what only the task service reads (the request's fingerprint).
 */
export const Annotations = {
  requestedBy: 'platform-api/requested-by',
  requestHash: 'platform-api/request-hash',
  /** On a cd workflow: the digest the registry had for the deployed tag when the deploy was accepted. */
  imageDigest: 'platform-api/image-digest',
} as const;

/**
 * A label value standing for `text`: characters a label may not hold become "_", trimmed to 63
 * characters and to alphanumeric ends ("alice@example.com" → "alice_example.com"). The exact
 * text goes into an annotation next to it.
 */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
}

/** Labels Argo Workflows maintains itself. */
export const ArgoLabels = {
  workflowTemplate: 'workflows.argoproj.io/workflow-template',
  phase: 'workflows.argoproj.io/phase',
  completed: 'workflows.argoproj.io/completed',
  workflow: 'workflows.argoproj.io/workflow',
} as const;

/** The selector of every workflow the platform created. */
export const PLATFORM_WORKFLOWS_SELECTOR = Labels.taskType;
