import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createContext } from '../../src/core/create-context';
import type { KubeObject } from '../../src/core/kube-object';
import { Kinds } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { kubeApiHandler, type KubeApiOptions, writeKubeconfig } from '../../src/kube-api';
import { serve } from '../../src/testing/serve';

export const TOKEN = 'kube-test-token';

/** A context, its Kubernetes API on a real port, and a client-node KubeConfig loaded from a kubeconfig file. */
export interface KubeHarness {
  ctx: SandboxContext;
  url: string;
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  close(): Promise<void>;
}

export async function startKube(
  options: { historyLimit?: number } & KubeApiOptions = {},
): Promise<KubeHarness> {
  const ctx = createContext({}, 1, options.historyLimit);
  const server = await serve(kubeApiHandler(ctx, { token: TOKEN, ...options }));
  const file = path.join(ctx.config.dataDir, 'kube', 'config');
  writeKubeconfig(file, server.url, TOKEN);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  return {
    ctx,
    url: server.url,
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    close: async () => {
      ctx.faults.clear();
      await server.close();
    },
  };
}

export function createNamespace(ctx: SandboxContext, name: string): void {
  ctx.store.create(Kinds.Namespace, { metadata: { name } });
}

/** A pod as the sandbox's controllers store it (with a status the API would not accept on create). */
export function podObject(namespace: string, name: string, overrides: Partial<KubeObject> = {}): KubeObject {
  return {
    metadata: { name, namespace, labels: { app: 'demo' } },
    spec: { containers: [{ name: 'main', image: 'registry.sandbox.local/demo:1' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'main', state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }],
    },
    ...overrides,
  };
}

/** Polls until `check` passes (it throws until then); real sockets need a moment. */
export async function eventually(check: () => void, attempts = 200): Promise<void> {
  for (let i = 0; ; i += 1) {
    try {
      check();
      return;
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Raw HTTP with the bearer token, returning status, headers and text. */
export async function raw(
  url: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<{ status: number; contentType: string | null; text: string; json: () => unknown }> {
  const headers = new Headers(init.headers);
  if (init.token !== null) headers.set('authorization', `Bearer ${init.token ?? TOKEN}`);
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    json: () => JSON.parse(text) as unknown,
  };
}
