import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  catalogTemplates,
  createAppValues,
  fillTemplateRepo,
  helm,
  helmTemplate,
  ROOT,
  templateRepo,
  type Rendered,
} from './app-chart';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENVIRONMENTS = { dev: 1, prod: 3 } as const;
const APP = { name: 'shop', team: 'payments', imageTag: '0123456789abcdef0123456789abcdef01234567' };

interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Array<Record<string, unknown> & { ports?: Array<{ name?: string; containerPort?: number }> }>;
}
interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
}

function byKind(objects: Rendered[], kind: string): Rendered {
  const found = objects.find((o) => o.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} rendered`);
  return found;
}

/**
 * Every app chart of deploy/templates, filled in as create-app fills it, through the real Helm:
 * `helm lint --strict` and `helm template` as Argo CD's repo server runs it, per environment.
 * What the platform finds apps by (the platform labels) must be on every object and pod.
 */
describe.each(catalogTemplates())('the $name app chart ($manifestsRepo)', (template) => {
  const chart = path.join(
    fillTemplateRepo(templateRepo(template.manifestsRepo), createAppValues(template, APP)),
    'chart',
  );
  const port = Number(template.parameters.find((p) => p.name === 'port')?.default);

  it.each(Object.keys(ENVIRONMENTS))(
    'passes helm lint --strict with values.yaml and values-%s.yaml',
    async (env) => {
      const out = await helm(
        [
          'lint',
          '--strict',
          '.',
          '--values',
          'values.yaml',
          '--values',
          `values-${env}.yaml`,
          '--kube-version',
          '1.31.0',
        ],
        chart,
      );
      expect(out).toContain('1 chart(s) linted, 0 chart(s) failed');
    },
  );

  it.each(Object.entries(ENVIRONMENTS))(
    'renders for %s a ServiceAccount, a Service and a Deployment, each and its pods with the platform labels',
    async (env, replicas) => {
      const objects = await helmTemplate(chart, {
        release: APP.name,
        namespace: `${APP.team}-${env}`,
        valueFiles: ['values.yaml', `values-${env}.yaml`],
      });
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
        'ServiceAccount/shop',
        'Service/shop',
        'Deployment/shop',
      ]);
      const platform = {
        'platform-api/app': APP.name,
        'platform-api/team': APP.team,
        'platform-api/template': template.name,
      };
      const standard = {
        'app.kubernetes.io/name': APP.name,
        'app.kubernetes.io/instance': APP.name,
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': `${APP.name}-0.1.0`,
      };
      for (const object of objects) expect(object.metadata.labels).toEqual({ ...standard, ...platform });

      const deployment = byKind(objects, 'Deployment').spec as DeploymentSpec;
      expect(deployment.replicas).toBe(replicas);
      expect(deployment.template.metadata.labels).toEqual({ ...standard, ...platform });
      expect(deployment.template.metadata.labels).toMatchObject(deployment.selector.matchLabels);
      const service = byKind(objects, 'Service').spec as {
        selector: Record<string, string>;
        ports: unknown[];
      };
      expect(deployment.template.metadata.labels).toMatchObject(service.selector);
      expect(service.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);

      // A small web service as a restricted namespace admits it, with no API token in its pods.
      expect(byKind(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
      const pod = deployment.template.spec;
      expect(pod.serviceAccountName).toBe('shop');
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: expect.any(Number),
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.containers).toHaveLength(1);
      const container = pod.containers[0];
      expect(container).toMatchObject({
        name: APP.name,
        image: `registry.example.com/${APP.team}/${APP.name}:${APP.imageTag}`,
        ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
        resources: { requests: { cpu: expect.any(String), memory: expect.any(String) } },
      });
    },
  );

  it('keeps every label value a valid label value, whatever the platform values are', async () => {
    const objects = await helmTemplate(chart, {
      release: APP.name,
      namespace: 'payments-dev',
      valueFiles: ['values.yaml', 'values-dev.yaml'],
      extra: ['--set-string', 'platform.team=-- Ops/Team (EU)! --', '--set-string', 'platform.template=true'],
    });
    for (const object of objects) {
      const pods = (object.spec as Partial<DeploymentSpec> | undefined)?.template?.metadata.labels ?? {};
      for (const value of [...Object.values(object.metadata.labels ?? {}), ...Object.values(pods)]) {
        expect(value).toMatch(LABEL_VALUE);
        expect(value.length).toBeLessThanOrEqual(63);
      }
      // Quoted: "true" stays the string a label value must be, not YAML's boolean.
      expect(object.metadata.labels).toMatchObject({
        'platform-api/team': 'Ops_Team__EU',
        'platform-api/template': 'true',
      });
    }
  });

  it('refuses to render objects without a platform value', async () => {
    await expect(
      helmTemplate(chart, {
        release: APP.name,
        namespace: 'payments-dev',
        valueFiles: ['values.yaml'],
        extra: ['--set', 'platform.team=null'],
      }),
    ).rejects.toThrow(/at '\/platform': missing property 'team'/);
  });

  it.each(Object.keys(ENVIRONMENTS))(
    "keeps values-%s.yaml's image tag where cd edits it: a top-level image block with tag in it",
    (env) => {
      const text = readFileSync(path.join(chart, `values-${env}.yaml`), 'utf8');
      expect(parse(text)).toMatchObject({ image: { tag: APP.imageTag } });
      expect(text.split('\n').filter((line) => /^ +tag:/.test(line))).toEqual([`  tag: "${APP.imageTag}"`]);
    },
  );
});

describe('the e2e test chart (tools/sandbox/test/e2e/templates/hello-service)', () => {
  it('passes helm lint --strict once create-app-like rendering named the app', async () => {
    const dir = path.join(ROOT, 'tools', 'sandbox', 'test', 'e2e', 'templates', 'hello-service');
    const filled = fillTemplateRepo(dir, { APP: 'shop' });
    const out = await helm(['lint', '--strict', path.join(filled, 'chart')], filled);
    expect(out).toContain('1 chart(s) linted, 0 chart(s) failed');
  });
});
