import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ApplicationController } from '../../src/argo-cd/controller/application-controller';
import type { ApplicationObject } from '../../src/argo-cd/shared/app-types';
import { ensureDefaultProject } from '../../src/argo-cd/shared/app-projects';
import { createContext } from '../../src/core/create-context';
import { Kinds } from '../../src/core/resource-kinds';
import { DeploymentController } from '../../src/kubernetes/controllers/deployment-controller';
import { waitFor } from '../workloads/wait-for';
import { ChartRepo, chartFiles } from './chart-repo';

const shared = path.resolve(__dirname, '../../../..', '..', 'shared');
const fixture = path.join(shared, 'fixtures', 'argo-cd', 'app-synced-healthy-succeeded-with-history.yaml');
const live = path.join(shared, 'fixtures', 'argo-cd', 'app-progressing-synced-apptree-helm-live.yaml');
if (!existsSync(fixture)) console.log('Application status shape suite skipped: ../shared not found');

const keys = (value: unknown) => Object.keys(value ?? {}).sort();

(existsSync(fixture) ? describe : describe.skip)(
  'Application status written by the controller, against real Argo CD objects',
  () => {
    it('has the field names of a real synced, healthy Application', async () => {
      const real = parse(readFileSync(fixture, 'utf8')) as ApplicationObject;
      const realHelm = parse(readFileSync(live, 'utf8')) as ApplicationObject;
      const repo = await ChartRepo.create();
      const ctx = createContext({ dataDir: repo.root }, 500);
      // The Argo CD server creates it at its first start; the controller alone does not.
      ensureDefaultProject(ctx);
      const deployments = new DeploymentController(ctx);
      const controller = new ApplicationController(ctx, { syncDurationMs: 100 });
      deployments.start();
      controller.start();
      try {
        const sha = await repo.commit(chartFiles('nginx', '1.27'));
        // No CreateNamespace=true: the destination namespace exists, as Argo CD then needs.
        ctx.store.create(Kinds.Namespace, { metadata: { name: 'web' } });
        ctx.store.create(Kinds.Application, {
          metadata: { name: 'web', namespace: 'argocd' },
          spec: {
            project: 'default',
            source: { repoURL: repo.bare, path: 'chart', targetRevision: 'main' },
            destination: { server: 'https://kubernetes.default.svc', namespace: 'web' },
          },
          operation: {
            sync: { revision: 'main', syncStrategy: { hook: {} } },
            initiatedBy: { username: 'admin' },
          },
        });
        const app = await waitFor('Synced and Healthy', () => {
          const a = ctx.store.get(Kinds.Application, 'argocd', 'web') as ApplicationObject;
          return (
            a.status?.sync?.revision === sha &&
            a.status.health?.status === 'Healthy' &&
            a.operation === undefined &&
            a
          );
        });
        const ours = app.status!;
        const theirs = real.status!;
        expect(keys(ours)).toEqual(keys(theirs));
        expect(keys(ours.sync)).toEqual(keys(theirs.sync));
        expect(keys(ours.sync?.comparedTo)).toEqual(keys(theirs.sync?.comparedTo));
        expect(keys(ours.operationState)).toEqual(keys(theirs.operationState));
        expect(keys(ours.operationState?.syncResult)).toEqual(keys(theirs.operationState?.syncResult));
        expect(keys(ours.operationState?.syncResult?.resources?.[0])).toEqual(
          keys(theirs.operationState?.syncResult?.resources?.[0]),
        );
        expect(keys(ours.resources?.[0])).toEqual(keys(theirs.resources?.[0]));
        expect(keys(ours.resources?.[1])).toEqual(keys(theirs.resources?.[1]));
        expect(keys(ours.history?.[0])).toEqual(keys(realHelm.status?.history?.[0]));
        expect(keys(ours.health)).toEqual(keys(realHelm.status?.health));
        expect(ours.operationState?.message).toBe(theirs.operationState?.message);
        expect(ours.sourceType).toBe(realHelm.status?.sourceType);
      } finally {
        controller.stop();
        deployments.stop();
        ctx.clock.cancelAll();
        repo.dispose();
      }
    });
  },
);
