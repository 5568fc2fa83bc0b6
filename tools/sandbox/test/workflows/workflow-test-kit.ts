import { createContext } from '../../src/core/create-context';
import type { KubeObject } from '../../src/core/kube-object';
import { Kinds } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { gitHandler } from '../../src/git';
import { registryHandler } from '../../src/registry/registry.server';
import { createTeamOrganization } from '../../src/sandbox';
import { serve } from '../../src/testing/serve';
import { WorkflowController } from '../../src/argo-workflows/controller';

export const NS = 'argo';

export interface WorkflowSandbox {
  ctx: SandboxContext;
  controller: WorkflowController;
  close(): Promise<void>;
}

/** A context at 20x speed with the git server and registry listening and a workflow controller running. */
export async function startWorkflowSandbox(): Promise<WorkflowSandbox> {
  const ctx = createContext({}, 20);
  const git = await serve(gitHandler(ctx));
  ctx.urls.git = git.url;
  const registry = await serve(registryHandler(ctx));
  ctx.urls.registry = registry.url;
  const controller = new WorkflowController(ctx, {
    podScheduleDelayMs: 200,
    podStartDelayMs: 200,
    pollIntervalMs: 200,
  });
  controller.start();
  return {
    ctx,
    controller,
    close: async () => {
      controller.stop();
      await git.close();
      await registry.close();
    },
  };
}

/**
 * Creates the private repository `<team>/<name>` through the git server's API as the sandbox's git
 * user (in the team's organization, created when missing); returns its clone URL with that
 * user's login in it, as a workflow step's git would be given credentials.
 */
export async function createRepo(ctx: SandboxContext, name: string, team = 'payments'): Promise<string> {
  createTeamOrganization(ctx, team);
  const { gitUsername, gitPassword } = ctx.config;
  const res = await fetch(`${ctx.urls.git}/api/v1/orgs/${team}/repos`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${gitUsername}:${gitPassword}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name, private: true }),
  });
  if (res.status !== 201) throw new Error(`create repo ${team}/${name}: ${res.status} ${await res.text()}`);
  return signedRepoUrl(ctx, `${team}/${name}`);
}

/** `<git url>/<owner>/<name>.git` with the sandbox git user's login in it. */
export function signedRepoUrl(ctx: SandboxContext, fullName: string): string {
  const url = new URL(`${ctx.urls.git}/${fullName}.git`);
  url.username = ctx.config.gitUsername;
  url.password = ctx.config.gitPassword;
  return url.toString();
}

export function submit(
  ctx: SandboxContext,
  wf: Omit<KubeObject, 'metadata'> & { metadata: { name: string; labels?: Record<string, string> } },
): KubeObject {
  return ctx.store.create(Kinds.Workflow, { ...wf, metadata: { namespace: NS, ...wf.metadata } });
}

export function getWorkflow(
  ctx: SandboxContext,
  name: string,
): KubeObject & { status: Record<string, unknown> } {
  return ctx.store.mustGet(Kinds.Workflow, NS, name) as KubeObject & { status: Record<string, unknown> };
}

/** Resolves with the workflow once `predicate` holds; fails with its status after `timeoutMs`. */
export function waitForWorkflow(
  ctx: SandboxContext,
  name: string,
  predicate: (wf: KubeObject & { status: Record<string, unknown> }) => boolean,
  timeoutMs = 20_000,
): Promise<KubeObject & { status: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const wf = ctx.store.get(Kinds.Workflow, NS, name) as
        (KubeObject & { status: Record<string, unknown> }) | undefined;
      if (wf !== undefined && predicate({ ...wf, status: wf.status ?? {} })) {
        watch.close();
        clearTimeout(timer);
        resolve({ ...wf, status: wf.status ?? {} });
        return true;
      }
      return false;
    };
    const timer = setTimeout(() => {
      watch.close();
      const wf = ctx.store.get(Kinds.Workflow, NS, name);
      reject(
        new Error(
          `workflow ${name} did not reach the expected state: ${JSON.stringify(wf?.status, null, 2)}`,
        ),
      );
    }, timeoutMs);
    const watch = ctx.store.watch(
      Kinds.Workflow,
      { namespace: NS, resourceVersion: ctx.store.resourceVersion },
      () => {
        check();
      },
    );
    check();
  });
}

export const completed = (wf: { status: Record<string, unknown> }): boolean =>
  ['Succeeded', 'Failed', 'Error'].includes((wf.status as { phase?: string }).phase ?? '');

/** Every phase the workflow passed through, in order, from now on. */
export function recordPhases(ctx: SandboxContext, name: string): string[] {
  const phases: string[] = [];
  ctx.store.watch(Kinds.Workflow, { namespace: NS }, (event) => {
    if (event.object.metadata.name !== name) return;
    const phase = (event.object.status as { phase?: string } | undefined)?.phase ?? '';
    if (phases[phases.length - 1] !== phase) phases.push(phase);
  });
  return phases;
}

export interface NodeView {
  id: string;
  name: string;
  displayName: string;
  type: string;
  phase: string;
  templateName?: string;
  boundaryID?: string;
  message?: string;
  children?: string[];
  outboundNodes?: string[];
  progress?: string;
  startedAt: string | null;
  finishedAt: string | null;
  hostNodeName?: string;
  outputs?: { parameters?: Array<{ name: string; value?: string }>; exitCode?: string; result?: string };
}

export function nodesOf(wf: { status: Record<string, unknown> }): NodeView[] {
  return Object.values((wf.status.nodes ?? {}) as Record<string, NodeView>);
}

export function nodeByName(wf: { status: Record<string, unknown> }, name: string): NodeView {
  const node = nodesOf(wf).find((n) => n.name === name);
  if (node === undefined)
    throw new Error(
      `no node ${name} in ${nodesOf(wf)
        .map((n) => n.name)
        .join(', ')}`,
    );
  return node;
}

export function eventsOf(
  ctx: SandboxContext,
  kind: string,
  name: string,
): Array<{ reason: string; message: string; type: string }> {
  return ctx.store
    .list(Kinds.Event, { namespace: NS })
    .items.filter((e) => {
      const involved = e.involvedObject as { kind?: string; name?: string };
      return involved.kind === kind && involved.name === name;
    })
    .map((e) => ({ reason: String(e.reason), message: String(e.message), type: String(e.type) }));
}
