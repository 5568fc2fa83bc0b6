import {
  runTemplate as run,
  startPlatformSandbox as start,
  type FinishedWorkflow,
  type Sandbox,
  type SandboxOptions,
} from '@platform/sandbox';
import path from 'node:path';

export { workflowOutput as output } from '@platform/sandbox';

const DEPLOY = path.resolve(__dirname, '..', '..', '..', '..', 'deploy');

/** The repo's deploy/ as a cluster: app templates, WorkflowTemplates, Secrets, a git login. */
export function startPlatformSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return start(DEPLOY, options);
}

/** Runs a deploy/argo WorkflowTemplate with the platform's task labels, as the task service submits it. */
export function runTemplate(
  sandbox: Sandbox,
  template: string,
  parameters: Record<string, string>,
  task: { app: string; team: string },
): Promise<FinishedWorkflow> {
  return run(sandbox, template, parameters, {
    'platform-api/task-type': template === 'create-app' ? 'create' : template,
    'platform-api/app': task.app,
    'platform-api/team': task.team,
    'platform-api/requested-by': 'alice',
  });
}
