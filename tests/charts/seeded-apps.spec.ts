import { describe, expect, it } from '@jest/globals';
import { createContext, Kinds, SEED_TEMPLATES, seedApps, type KubeObject } from '@platform/sandbox';
import path from 'node:path';
import { catalogTemplates, createAppValues, fillTemplateRepo, helmTemplate, templateRepo } from './app-chart';

const KINDS = { ServiceAccount: Kinds.ServiceAccount, Service: Kinds.Service, Deployment: Kinds.Deployment };

/** What the server and the controllers add to an applied object, which Helm never renders. */
function withoutServerFields(object: KubeObject): KubeObject {
  const {
    uid: _u,
    resourceVersion: _r,
    creationTimestamp: _c,
    generation: _g,
    ...metadata
  } = object.metadata;
  const { status: _s, ...rest } = object;
  const spec = rest.spec as Record<string, unknown> | undefined;
  if (object.kind === 'Service' && spec !== undefined) {
    const { clusterIP: _ip, clusterIPs: _ips, ...kept } = spec;
    return { ...rest, metadata, spec: kept };
  }
  return { ...rest, metadata };
}

/**
 * Seeded apps (the admin seed, benchmarks) are written without running Helm, so they must be what
 * their template's chart renders: the real Helm renders the chart for a seeded app's values and
 * the seeded objects must equal that plus Argo CD's tracking annotation and namespace.
 */
describe('seeded apps', () => {
  it('are apps of templates of the catalog', () => {
    expect(catalogTemplates().map((t) => t.name)).toEqual(expect.arrayContaining([...SEED_TEMPLATES]));
  });

  // The seed takes the templates round-robin: app-00001 is of the first, app-00002 of the second.
  it.each(SEED_TEMPLATES.map((name, i) => ({ name, app: `app-0000${i + 1}` })))(
    "are exactly what the $name chart renders for them, with Argo CD's tracking annotation",
    async ({ name, app }) => {
      const ctx = createContext();
      await seedApps(ctx, {
        apps: SEED_TEMPLATES.length,
        teams: ['payments'],
        podsPerApp: 2,
        workflowsPerApp: 2,
      });
      const application = ctx.store.mustGet(Kinds.Application, 'argocd', `${app}-dev`);
      expect(application.metadata.labels?.['platform-api/template']).toBe(name);
      const image = (application.status as { summary: { images: string[] } }).summary.images[0] ?? '';
      const namespace = 'payments-dev';
      const template = catalogTemplates().find((t) => t.name === name);
      if (template === undefined) throw new Error(`no ${name} template in the catalog`);
      const values = createAppValues(template, {
        name: app,
        team: 'payments',
        imageTag: image.slice(image.lastIndexOf(':') + 1),
      });
      values.REGISTRY = ctx.config.registryHost;
      const chart = path.join(fillTemplateRepo(templateRepo(template.manifestsRepo), values), 'chart');
      const rendered = await helmTemplate(chart, {
        // Argo CD's release is the Application's name, one per app and environment.
        release: `${app}-dev`,
        namespace,
        valueFiles: ['values.yaml'],
        extra: ['--set', 'replicaCount=2'],
      });
      expect(rendered.map((o) => o.kind)).toEqual(['ServiceAccount', 'Service', 'Deployment']);
      for (const object of rendered) {
        const kind = KINDS[object.kind as keyof typeof KINDS];
        const live = ctx.store.mustGet(kind, namespace, object.metadata.name);
        const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
        expect(withoutServerFields(live)).toEqual({
          ...object,
          metadata: {
            ...object.metadata,
            namespace,
            annotations: {
              'argocd.argoproj.io/tracking-id': `${app}-dev:${group ?? ''}/${object.kind}:${namespace}/${object.metadata.name}`,
            },
          },
        });
      }
    },
  );
});
