import {
  argoUpstreamEnv,
  PLATFORM_GIT_LOGIN,
  registryUpstreamEnv,
  seedApps,
  startPlatformSandbox,
} from '@platform/sandbox';
import path from 'node:path';
import { readTruth } from './truth';

/** What the soak asks of its sandbox process (argv[2], JSON). */
export interface ChaosSandboxOptions {
  teams: string[];
  seededApps: number;
  lease: { namespace: string; name: string };
}

/** The first message: where the sandbox answers and what the services need to reach it. */
export interface ChaosSandboxHello {
  port: number;
  adminUrl: string;
  /** The settings every service gets (Argo Workflows, Argo CD). */
  upstreamEnv: Record<string, string>;
  /** The task service's own: git, the registry. */
  taskEnv: Record<string, string>;
  kubeconfig: string;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The soak's sandbox in a process of its own (the load generator and the services get the other
 * core's share), set up as a platform team sets up a cluster for the teams, with the seeded apps
 * spread over the teams. Answers `{truth: true}` with the store's truth read directly, and
 * `{rss: true}` with its memory.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ChaosSandboxOptions;
  const sandbox = await startPlatformSandbox(path.join(ROOT, 'deploy'), {
    gitOrganizations: options.teams,
  });
  await seedApps(sandbox.ctx, {
    apps: options.seededApps,
    teams: options.teams,
    workflowsPerApp: 1,
    podsPerApp: 1,
  });
  const hello: ChaosSandboxHello = {
    port: Number(new URL(sandbox.urls.admin).port),
    adminUrl: sandbox.urls.admin,
    upstreamEnv: argoUpstreamEnv(sandbox),
    taskEnv: {
      GIT_SERVER_URL: sandbox.urls.git,
      GIT_TOKEN: PLATFORM_GIT_LOGIN.token,
      ...registryUpstreamEnv(sandbox),
    },
    kubeconfig: sandbox.kubeconfigPath,
  };
  process.on('message', (message: { truth?: boolean; rss?: boolean }) => {
    if (message.truth === true) process.send?.({ truth: readTruth(sandbox.ctx, options.lease) });
    if (message.rss === true) process.send?.({ rssBytes: process.memoryUsage().rss });
  });
  process.send?.(hello);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
