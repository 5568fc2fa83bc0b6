import http from 'node:http';
import { kubeGetJson } from '../sandbox/kube-get';

/**
 * The naive way, without the summary service: on every request, list everything from the
 * sandbox's Argo CD, Argo Workflows and Kubernetes APIs, join it per app, sort, and return one
 * page. Argv: a JSON of the sandbox URLs and credentials.
 */
interface Sandbox {
  urls: { argo: string; argocd: string; kube: string };
  caFile: string;
  argoToken: string;
  kubeToken: string;
  argocdUsername: string;
  argocdPassword: string;
}

interface Named {
  metadata: { name?: string; labels?: Record<string, string>; creationTimestamp?: string };
  status?: Record<string, unknown>;
}

const sandbox = JSON.parse(process.argv[2] ?? '{}') as Sandbox;
let session: Promise<string> | undefined;

async function argocdToken(): Promise<string> {
  session ??= fetch(`${sandbox.urls.argocd}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: sandbox.argocdUsername, password: sandbox.argocdPassword }),
  })
    .then((r) => r.json() as Promise<{ token: string }>)
    .then((r) => r.token);
  return session;
}

async function list(url: string, token: string): Promise<Named[]> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { items: Named[] | null }).items ?? [];
}

async function page(limit: number): Promise<unknown[]> {
  const [apps, workflows, pods] = await Promise.all([
    list(`${sandbox.urls.argocd}/api/v1/applications?selector=platform-api/app`, await argocdToken()),
    list(
      `${sandbox.urls.argo}/api/v1/workflows/argo?listOptions.labelSelector=platform-api/task-type`,
      sandbox.argoToken,
    ),
    kubeGetJson<{ items: Named[] }>(
      `${sandbox.urls.kube}/api/v1/pods?labelSelector=platform-api/app`,
      sandbox.kubeToken,
      sandbox.caFile,
    ).then((list) => list.items),
  ]);
  const latest = new Map<string, Named>();
  for (const wf of workflows) {
    const key = `${wf.metadata.labels?.['platform-api/app'] ?? ''}/${wf.metadata.labels?.['platform-api/task-type'] ?? ''}`;
    const seen = latest.get(key);
    if (seen === undefined || (wf.metadata.creationTimestamp ?? '') > (seen.metadata.creationTimestamp ?? ''))
      latest.set(key, wf);
  }
  const podCount = new Map<string, number>();
  for (const pod of pods) {
    const app = pod.metadata.labels?.['platform-api/app'] ?? '';
    podCount.set(app, (podCount.get(app) ?? 0) + 1);
  }
  // One Application per app and environment: an app is one row however many it has.
  return [...new Set(apps.map((a) => a.metadata.labels?.['platform-api/app'] ?? ''))]
    .sort()
    .slice(0, limit)
    .map((app) => ({
      app,
      build: latest.get(`${app}/ci`)?.metadata.name ?? null,
      deploy: latest.get(`${app}/cd`)?.metadata.name ?? null,
      pods: podCount.get(app) ?? 0,
    }));
}

const server = http.createServer((_req, res) => {
  page(50).then(
    (items) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items }));
    },
    (error: Error) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: error.message }));
    },
  );
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
});
