import * as k8s from '@kubernetes/client-node';
import https from 'node:https';
import { createContext } from '../../src/core/create-context';
import type { KubeObject } from '../../src/core/kube-object';
import { Kinds } from '../../src/core/resource-kinds';
import type { SandboxContext } from '../../src/core/sandbox-context';
import type { KubeApiOptions } from '../../src/kubernetes/api';
import { serveKubeApi } from '../../src/testing/serve-kube-api';

export const TOKEN = 'kube-test-token';

/** A context, its Kubernetes API on a real port, and a client-node KubeConfig loaded from a kubeconfig file. */
export interface KubeHarness {
  ctx: SandboxContext;
  url: string;
  /** The CA the server's certificate chains to: raw clients verify the server with it. */
  caPem: string;
  kubeconfigPath: string;
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  close(): Promise<void>;
}

export async function startKube(
  options: { historyLimit?: number } & KubeApiOptions = {},
): Promise<KubeHarness> {
  const ctx = createContext({}, 1, options.historyLimit);
  const server = await serveKubeApi(ctx, { token: TOKEN, ...options });
  caPem = server.caPem;
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
  return {
    ctx,
    url: server.url,
    caPem: server.caPem,
    kubeconfigPath: server.kubeconfigPath,
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

/** The CA of the last harness started: the raw helpers below trust it, and nothing else. */
let caPem = '';

/** Raw HTTPS with the bearer token (verifying the server against the harness's CA). */
export async function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; token?: string | null } = {},
): Promise<{ status: number; contentType: string | null; text: string; json: () => unknown }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers, ca: caPem }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? null,
          text,
          json: () => JSON.parse(text) as unknown,
        }),
      );
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Options for node:https requests to the last harness started (its CA, the bearer token). */
export function httpsOptions(token: string = TOKEN): https.RequestOptions {
  return { ca: caPem, headers: { authorization: `Bearer ${token}` } };
}
