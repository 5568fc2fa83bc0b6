import { startPlatformSandbox as startSandbox, type Sandbox, type SandboxOptions } from '@platform/sandbox';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export { repoUrl, runTemplate, workflowOutput as output } from '@platform/sandbox';

export const ROOT = path.resolve(__dirname, '..', '..');

// Asynchronous: the sandbox's git server runs in this process.
export const git = async (...args: string[]): Promise<string> =>
  (await promisify(execFile)('git', args)).stdout;

/** The repo's deploy/ as a cluster: app templates, WorkflowTemplates, Secrets, a git login. */
export function startPlatformSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox(path.join(ROOT, 'deploy'), options);
}
