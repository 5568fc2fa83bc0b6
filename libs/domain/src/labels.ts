/**
 * The labels that tie the platform's objects together: every Workflow, Argo CD Application and
 * Kubernetes object the platform creates carries the app and team; workflows also the task type
 * and the requester. Selectors in every service are built from these keys.
 */
export const Labels = {
  app: 'platform-api/app',
  team: 'platform-api/team',
  template: 'platform-api/template',
  taskType: 'platform-api/task-type',
  requestedBy: 'platform-api/requested-by',
} as const;

/** Labels Argo Workflows maintains itself. */
export const ArgoLabels = {
  workflowTemplate: 'workflows.argoproj.io/workflow-template',
  phase: 'workflows.argoproj.io/phase',
  completed: 'workflows.argoproj.io/completed',
  workflow: 'workflows.argoproj.io/workflow',
} as const;

/** The selector of every workflow the platform created. */
export const PLATFORM_WORKFLOWS_SELECTOR = Labels.taskType;
