import * as k8s from '@kubernetes/client-node';
import path from 'node:path';
import type { ApplicationObject } from '../../src/argo-cd/shared/app-types';
import type { KubeObject } from '../../src/core/kube-object';
import { Kinds } from '../../src/core/resource-kinds';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { ChartRepo, chartFiles } from '../argo-cd-controller/chart-repo';
import { waitFor } from '../workloads/wait-for';

const SERVER = 'https://kubernetes.default.svc';

/** A ClusterRole, a ConfigMap in another team's namespace and a ResourceQuota, as a chart may render them. */
const EXTRAS = {
  'cluster-role': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ .Release.Name }}-reader
rules:
  - apiGroups: ['']
    resources: [secrets]
    verbs: [get]
`,
  'other-namespace': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
  namespace: content-dev
data:
  greeting: hi
`,
  quota: `apiVersion: v1
kind: ResourceQuota
metadata:
  name: {{ .Release.Name }}
spec:
  hard:
    pods: '100'
`,
} as const;

/** chartFiles under `dir/` instead of `chart/`, with one extra template. */
function chartIn(dir: string, extra?: string): Record<string, string> {
  const files = chartFiles('registry.sandbox.local/payments/shop', '1.0.0');
  if (extra !== undefined) files['chart/templates/extra.yaml'] = extra;
  return Object.fromEntries(
    Object.entries(files).map(([file, text]) => [file.replace(/^chart\//, `${dir}/`), text]),
  );
}

/**
 * The sandbox Argo CD enforces AppProjects as Argo CD does (argoproj/argo-cd
 * `pkg/apis/application/v1alpha1/app_project_types.go`, `util/argo/argo.go` ValidatePermissions,
 * `controller/sync.go`): on create and update, on refresh and on sync, with Argo CD's messages.
 * Each case below fails if the sandbox lets through what Argo CD refuses.
 */
describe('AppProjects in the sandbox Argo CD', () => {
  let sandbox: Sandbox;
  let repo: ChartRepo;
  let other: ChartRepo;
  let admin: string;

  const store = () => sandbox.ctx.store;
  const login = async (username: string, password: string): Promise<string> => {
    const res = await fetch(`${sandbox.urls.argocd}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return ((await res.json()) as { token: string }).token;
  };
  const call = async (method: string, route: string, body?: unknown, token = admin) => {
    const res = await fetch(`${sandbox.urls.argocd}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const project = (name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace: 'argocd' },
    spec,
  });
  /** The team project deploy/team renders: its repositories, its namespaces, nothing cluster-scoped. */
  const paymentsSpec = () => ({
    sourceRepos: [`${path.dirname(repo.bare)}/*`],
    destinations: ['payments-dev', 'payments-prod', 'payments-qa'].map((namespace) => ({
      server: SERVER,
      namespace,
    })),
    clusterResourceWhitelist: [],
    namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
  });
  const setPaymentsSpec = (spec: Record<string, unknown>) =>
    store().mutate(Kinds.AppProject, 'argocd', 'payments', (p) => (p.spec = spec));
  const application = (
    name: string,
    options: {
      dir?: string;
      namespace?: string;
      project?: string;
      repoURL?: string;
      syncOptions?: string[];
    } = {},
  ) => ({
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: options.project ?? 'payments',
      source: { repoURL: options.repoURL ?? repo.bare, path: options.dir ?? 'chart', targetRevision: 'main' },
      destination: { server: SERVER, namespace: options.namespace ?? 'payments-dev' },
      ...(options.syncOptions === undefined ? {} : { syncPolicy: { syncOptions: options.syncOptions } }),
    },
  });
  const app = (name: string) =>
    store().get(Kinds.Application, 'argocd', name) as ApplicationObject | undefined;
  const create = async (body: unknown) => call('POST', '/api/v1/applications', body);
  const synced = (name: string) =>
    waitFor(`${name}'s sync to end`, () => {
      const a = app(name);
      const phase = a?.status?.operationState?.phase;
      return a?.operation === undefined && phase !== undefined && phase !== 'Running' && a;
    });
  const sync = async (name: string) => {
    expect((await call('POST', `/api/v1/applications/${name}/sync`, {})).status).toBe(200);
    return (await synced(name)).status?.operationState;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 20, applicationController: { syncDurationMs: 200 } });
    repo = await ChartRepo.create();
    other = await ChartRepo.create();
    await repo.commit({
      ...chartIn('chart'),
      ...Object.assign({}, ...Object.entries(EXTRAS).map(([dir, extra]) => chartIn(dir, extra))),
    });
    await other.commit(chartIn('chart'));
    admin = await login('admin', sandbox.ctx.config.argocdPassword);
    // What a platform team creates once per team (deploy/team): the project and its namespace.
    store().create(Kinds.AppProject, project('payments', paymentsSpec()));
    store().create(
      Kinds.AppProject,
      project('content', { sourceRepos: ['*'], destinations: [{ server: '*', namespace: 'content-*' }] }),
    );
    for (const name of ['payments-dev', 'content-dev'])
      store().create(Kinds.Namespace, { metadata: { name } });
  });
  afterAll(async () => {
    await sandbox.stop();
    repo.dispose();
    other.dispose();
  });
  afterEach(() => setPaymentsSpec(paymentsSpec()));

  it('serves AppProjects through the Kubernetes API and the project API, the default one as a fresh install has it', async () => {
    // Through the sandbox's kubeconfig (HTTPS with its CA), as a platform team's kubectl reads it.
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(sandbox.kubeconfigPath);
    const kube = (await kubeConfig.makeApiClient(k8s.CustomObjectsApi).getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'argocd',
      plural: 'appprojects',
      name: 'default',
    })) as KubeObject;
    expect(kube.spec).toEqual({
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    });
    const listed = await call('GET', '/api/v1/projects');
    expect((listed.json.items as KubeObject[]).map((p) => p.metadata.name)).toEqual([
      'content',
      'default',
      'payments',
    ]);
    expect((await call('GET', '/api/v1/projects/payments')).json).toMatchObject({ spec: paymentsSpec() });
    const missing = 'appprojects.argoproj.io "nope" not found';
    expect(await call('GET', '/api/v1/projects/nope')).toEqual({
      status: 404,
      json: { error: missing, code: 5, message: missing },
    });
    // The services' account reads projects; the workflows' account may not.
    const { argocdServices, argocdWorkflows } = sandbox.ctx.config;
    const reader = await login(argocdServices.username, argocdServices.password);
    expect((await call('GET', '/api/v1/projects/payments', undefined, reader)).status).toBe(200);
    const workflows = await login(argocdWorkflows.username, argocdWorkflows.password);
    const refused = await call('GET', '/api/v1/projects/payments', undefined, workflows);
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(
      /^permission denied: projects, get, payments, sub: platform-workflows, iat: /,
    );
  });

  it("lets only the admin create projects: the platform's accounts may not, and Argo CD validates them", async () => {
    const { argocdServices, argocdWorkflows } = sandbox.ctx.config;
    const body = {
      project: project('search', {
        sourceRepos: ['*'],
        destinations: [{ server: SERVER, namespace: 'search-dev' }],
      }),
    };
    for (const [account, password] of [
      [argocdWorkflows.username, argocdWorkflows.password],
      [argocdServices.username, argocdServices.password],
    ] as const) {
      const refused = await call('POST', '/api/v1/projects', body, await login(account, password));
      expect(refused.status).toBe(403);
      expect(refused.json.message).toMatch(
        new RegExp(`^permission denied: projects, create, search, sub: ${account}, iat: `),
      );
    }
    expect(store().get(Kinds.AppProject, 'argocd', 'search')).toBeUndefined();
    expect((await call('POST', '/api/v1/projects', body)).status).toBe(200);
    expect((await call('POST', '/api/v1/projects', body)).status).toBe(200);
    const changed = { project: project('search', { sourceRepos: ['https://elsewhere/*'] }) };
    const different = 'existing project spec is different; use upsert flag to force update';
    expect(await call('POST', '/api/v1/projects', changed)).toEqual({
      status: 400,
      json: { error: different, code: 3, message: different },
    });
    const bad = "error validating project: source repository has an invalid format, '!*'";
    expect(
      await call('POST', '/api/v1/projects', { project: project('bad', { sourceRepos: ['!*'] }) }),
    ).toEqual({
      status: 400,
      json: { error: bad, code: 3, message: bad },
    });
    store().delete(Kinds.AppProject, 'argocd', 'search');
  });

  it("refuses to create an app outside its project's repositories, destinations or clusters, with Argo CD's messages", async () => {
    const stray = await create(application('stray', { repoURL: other.bare, namespace: 'content-dev' }));
    const invalid = (message: string) => ({
      status: 400,
      json: { error: message, code: 3, message },
    });
    expect(stray).toEqual(
      invalid(
        'error while validating and normalizing app: application spec for stray is invalid: ' +
          `InvalidSpecError: application repo ${other.bare} is not permitted in project 'payments';` +
          `InvalidSpecError: application destination server '${SERVER}' and namespace 'content-dev' do not match any of the allowed destinations in project 'payments'`,
      ),
    );
    expect(await create(application('stray', { project: 'nope' }))).toEqual(
      invalid('app is not allowed in project "nope", or the project does not exist'),
    );
    const elsewhere = application('stray');
    elsewhere.spec.destination.server = 'https://elsewhere';
    expect(await create(elsewhere)).toEqual(
      invalid(
        'error while validating and normalizing app: application destination spec for stray is invalid: ' +
          'error getting cluster by server "https://elsewhere": rpc error: code = NotFound desc = cluster "https://elsewhere" not found',
      ),
    );
    expect(app('stray')).toBeUndefined();
  });

  it('refuses to create an app whose name another project uses, and overwrites nothing', async () => {
    expect((await create(application('shop', { syncOptions: ['CreateNamespace=true'] }))).status).toBe(200);
    // The admin may update anywhere, so the request gets as far as Argo CD's upsert check.
    const taken = await create(application('shop', { project: 'content', namespace: 'content-dev' }));
    const message = 'existing application spec is different, use upsert flag to force update';
    expect(taken).toEqual({ status: 400, json: { error: message, code: 3, message } });
    expect(app('shop')?.spec).toMatchObject({
      project: 'payments',
      destination: { namespace: 'payments-dev' },
    });
  });

  it('syncs an app its project permits; an existing destination namespace needs no Namespace rights', async () => {
    const state = await sync('shop');
    expect({ phase: state?.phase, message: state?.message }).toEqual({
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
    });
    expect(store().get(Kinds.Deployment, 'payments-dev', 'shop')).toBeDefined();
  });

  it.each([
    ['cluster-role', 'resource rbac.authorization.k8s.io:ClusterRole is not permitted in project payments'],
    ['other-namespace', "namespace content-dev is not permitted in project 'payments'"],
    ['quota', 'resource :ResourceQuota is not permitted in project payments'],
  ])('refuses the whole sync of a chart with a %s, applying nothing: %s', async (dir, reason) => {
    const name = `shop-${dir}`;
    expect((await create(application(name, { dir }))).status).toBe(200);
    const state = await sync(name);
    expect({ phase: state?.phase, message: state?.message }).toEqual({
      phase: 'Failed',
      message: `one or more synchronization tasks are not valid: ${reason}`,
    });
    expect(state?.syncResult?.resources?.map((r) => [r.kind, r.status, r.message])).toEqual([
      [expect.any(String), 'SyncFailed', reason],
    ]);
    expect(store().get(Kinds.Deployment, 'payments-dev', name)).toBeUndefined();
  });

  it('refuses CreateNamespace=true for a missing namespace unless the project permits Namespace', async () => {
    const prod = application('shop-prod', {
      namespace: 'payments-prod',
      syncOptions: ['CreateNamespace=true'],
    });
    expect((await create(prod)).status).toBe(200);
    const refused = await sync('shop-prod');
    expect(refused?.message).toBe(
      'one or more synchronization tasks are not valid: resource :Namespace is not permitted in project payments',
    );
    expect(refused?.syncResult?.resources).toEqual([
      expect.objectContaining({
        kind: 'Namespace',
        name: 'payments-prod',
        status: 'SyncFailed',
        syncPhase: 'PreSync',
      }),
    ]);
    expect(store().get(Kinds.Namespace, undefined, 'payments-prod')).toBeUndefined();

    setPaymentsSpec({
      ...paymentsSpec(),
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'payments-*' }],
    });
    const created = await sync('shop-prod');
    expect(created?.phase).toBe('Succeeded');
    expect(created?.syncResult?.resources?.[0]).toMatchObject({
      kind: 'Namespace',
      name: 'payments-prod',
      status: 'Synced',
      message: 'namespace/payments-prod created',
      syncPhase: 'PreSync',
    });
  });

  it("fails the apply into a missing namespace without CreateNamespace=true, with the API server's words", async () => {
    expect((await create(application('shop-qa', { namespace: 'payments-qa' }))).status).toBe(200);
    const state = await sync('shop-qa');
    expect({ phase: state?.phase, message: state?.message }).toEqual({
      phase: 'Failed',
      message: 'one or more objects failed to apply, reason: namespaces "payments-qa" not found',
    });
  });

  it('marks an app its project stops permitting on refresh (InvalidSpecError, Unknown) and refuses its sync', async () => {
    setPaymentsSpec({ ...paymentsSpec(), destinations: [{ server: SERVER, namespace: 'payments-prod' }] });
    const refreshed = await call('GET', '/api/v1/applications/shop?refresh=normal');
    const reason = `application destination server '${SERVER}' and namespace 'payments-dev' do not match any of the allowed destinations in project 'payments'`;
    const status = refreshed.json.status as ApplicationObject['status'];
    expect(status?.conditions?.map((c) => [c.type, c.message])).toEqual([['InvalidSpecError', reason]]);
    expect([status?.sync?.status, status?.health?.status]).toEqual(['Unknown', 'Unknown']);
    const state = await sync('shop');
    expect({ phase: state?.phase, message: state?.message }).toEqual({
      phase: 'Error',
      message: `InvalidSpecError: ${reason}`,
    });

    setPaymentsSpec(paymentsSpec());
    const fixed = await call('GET', '/api/v1/applications/shop?refresh=normal');
    const again = fixed.json.status as ApplicationObject['status'];
    expect(again?.conditions).toBeUndefined();
    expect(again?.sync?.status).toBe('Synced');
  });

  it('makes an app whose project is gone unreadable through the API and InvalidSpecError in the controller', async () => {
    expect(
      (await create(application('orphan', { project: 'content', namespace: 'content-dev' }))).status,
    ).toBe(200);
    store().delete(Kinds.AppProject, 'argocd', 'content');
    const message = 'app is not allowed in project "content", or the project does not exist';
    expect(await call('GET', '/api/v1/applications/orphan')).toEqual({
      status: 400,
      json: { error: message, code: 3, message },
    });
    store().mutate(Kinds.Application, 'argocd', 'orphan', (a) => {
      a.metadata.annotations = { 'argocd.argoproj.io/refresh': 'normal' };
    });
    const marked = await waitFor('the orphan marked', () => app('orphan')?.status?.conditions?.[0]);
    expect(marked).toMatchObject({
      type: 'InvalidSpecError',
      message: 'Application referencing project content which does not exist',
    });
  });
});
