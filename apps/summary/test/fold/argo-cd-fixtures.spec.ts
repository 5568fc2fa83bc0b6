import type { Application } from '@platform/argo-client';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { AppState } from '../../src/fold/app-state';
import { applicationFacts } from '../../src/fold/from-application';
import { summaryOf } from '../../src/fold/summary-of';

/** `../shared` beside the checkout (CI has it there); absent in a clone elsewhere. */
const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'fixtures', 'argo-cd');
const hasShared = fs.existsSync(FIXTURES);

function fixture(name: string): Application {
  const app = YAML.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Application;
  // The platform's Applications carry its labels; the real objects get them added, nothing else changes.
  app.metadata.labels = {
    ...app.metadata.labels,
    'platform-api/app': 'my-app',
    'platform-api/team': 'payments',
  };
  return app;
}

if (!hasShared) console.log('real Argo CD fixtures skipped: ../shared not found');
(hasShared ? describe : describe.skip)('AppSummary from the real Argo CD Application fixtures', () => {
  it.each([
    [
      'app-outofsync-degraded-deleting.yaml',
      { status: 'OutOfSync', revision: null, operation: null },
      'Degraded',
      [],
    ],
    [
      'app-outofsync-degraded-with-conditions.yaml',
      { status: 'OutOfSync', revision: null, operation: null },
      'Degraded',
      [],
    ],
    [
      'app-outofsync-progressing-operation-running.yaml',
      {
        status: 'OutOfSync',
        revision: null,
        operation: { phase: 'Running', message: null, startedAt: '2025-01-29T08:42:34Z', finishedAt: null },
      },
      'Progressing',
      [],
    ],
    [
      'app-progressing-synced-apptree-helm-live.yaml',
      {
        status: 'Synced',
        revision: '0.45.27',
        operation: {
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          startedAt: '2025-11-14T12:35:57Z',
          finishedAt: '2025-11-14T12:35:58Z',
        },
      },
      'Progressing',
      ['quay.io/argoproj/argocli:v3.7.3', 'quay.io/argoproj/workflow-controller:v3.7.3'],
    ],
    [
      'app-synced-healthy-pending-operation.yaml',
      { status: 'Synced', revision: null, operation: null },
      'Healthy',
      [],
    ],
    [
      'app-synced-healthy-succeeded-with-history.yaml',
      {
        status: 'Synced',
        revision: 'rev1',
        operation: {
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          startedAt: '2024-03-05T07:33:03Z',
          finishedAt: '2024-03-05T07:33:04Z',
        },
      },
      'Healthy',
      ['nginx:latest'],
    ],
  ])('%s maps to its sync, health, operation and images', (name, sync, health, images) => {
    const state = new AppState('my-app');
    const facts = applicationFacts(fixture(name));
    if (facts !== undefined) state.applications.set(facts.name, facts);
    const summary = summaryOf(state);
    expect(summary).toMatchObject({
      app: 'my-app',
      team: 'payments',
      sync,
      health: { status: health },
      images,
    });
    // Without a cd task, the deploy is Argo CD's last operation.
    expect(summary?.deploy).toEqual(
      sync.operation === null
        ? null
        : {
            taskId: null,
            phase: sync.operation.phase,
            revision: sync.revision,
            image: images[0] ?? null,
            finishedAt: sync.operation.finishedAt,
          },
    );
  });

  it('ignores an Application without the platform labels', () => {
    const app = YAML.parse(
      fs.readFileSync(path.join(FIXTURES, 'app-synced-healthy-succeeded-with-history.yaml'), 'utf8'),
    ) as Application;
    expect(applicationFacts(app)).toBeUndefined();
  });
});
