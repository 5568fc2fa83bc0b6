import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { Application } from '@platform/argo-client';
import { SummaryFolder } from '../../src/fold/summary-folder';

function application(app: string): Application {
  return {
    metadata: {
      name: `${app}-dev`,
      namespace: 'argocd',
      labels: { 'platform-api/app': app, 'platform-api/environment': 'dev' },
    },
    spec: { destination: { namespace: app } },
    status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
  };
}

function pod(app: string, name: string, ready = true): V1Pod {
  return {
    metadata: { name, namespace: app, labels: { 'platform-api/app': app } },
    spec: { containers: [{ name: 'main' }] },
    status: { containerStatuses: [{ name: 'main', ready, restartCount: 0, image: 'x', imageID: '' }] },
  };
}

function warning(app: string, reason: string, at: string): CoreV1Event {
  return {
    metadata: { name: `${app}.${reason}`, namespace: app, resourceVersion: '1' },
    involvedObject: { kind: 'Pod', name: `${app}-1`, namespace: app },
    type: 'Warning',
    reason,
    message: reason,
    lastTimestamp: at as unknown as Date,
  };
}

const apps = (folder: SummaryFolder): string[] => [...folder.summaries()].map((s) => s.app).sort();

describe(`${SummaryFolder.name}: snapshots in pages`, () => {
  let folder: SummaryFolder;
  beforeEach(() => {
    folder = new SummaryFolder(() => '2026-11-26T10:00:00Z');
    folder.applicationsSnapshot(['a', 'b', 'c', 'd'].map(application));
    folder.drain();
  });

  it('keeps what the earlier pages said until the last one, then sweeps what none mentioned', () => {
    folder.applicationsPage({ items: [application('a'), application('e')], first: true, last: false });
    // Mid-way nothing is removed: b, c and d may be on the pages still to come.
    expect(apps(folder)).toEqual(['a', 'b', 'c', 'd', 'e']);
    folder.applicationsPage({ items: [application('c')], first: false, last: false });
    folder.applicationsPage({ items: [], first: false, last: true });
    expect(apps(folder)).toEqual(['a', 'c', 'e']);
    expect(folder.drain()).toEqual(
      new Map([
        ['a', expect.objectContaining({ app: 'a' })],
        ['e', expect.objectContaining({ app: 'e' })],
        ['c', expect.objectContaining({ app: 'c' })],
        ['b', undefined],
        ['d', undefined],
      ]),
    );
  });

  it('starts over when a relist begins mid-way: only the complete snapshot counts', () => {
    folder.applicationsPage({ items: [application('a'), application('b')], first: true, last: false });
    // The list failed (an expired continue token) and starts again from the first page.
    folder.applicationsPage({ items: [application('b')], first: true, last: false });
    folder.applicationsPage({ items: [application('d')], first: false, last: true });
    expect(apps(folder)).toEqual(['b', 'd']);
  });

  it('sweeps pods per app across pages, and events after the snapshot survive the next one only if listed', () => {
    folder.podsPage({ items: [pod('a', 'a-1'), pod('a', 'a-2')], first: true, last: false });
    folder.podsPage({ items: [pod('b', 'b-1', false)], first: false, last: true });
    expect(folder.summary('a')?.pods).toEqual({ ready: 2, total: 2, restarts: 0 });
    folder.pod('ADDED', pod('c', 'c-1'));
    folder.podsPage({ items: [pod('a', 'a-2')], first: true, last: false });
    folder.podsPage({ items: [pod('b', 'b-1')], first: false, last: true });
    expect(folder.summary('a')?.pods).toEqual({ ready: 1, total: 1, restarts: 0 });
    expect(folder.summary('b')?.pods).toEqual({ ready: 1, total: 1, restarts: 0 });
    expect(folder.summary('c')?.pods).toEqual({ ready: 0, total: 0, restarts: 0 });
  });

  it('lets a relisted warning replace an older snapshot newer one, and keeps the latest within one', () => {
    folder.warningsSnapshot([warning('a', 'BackOff', '2026-11-26T09:00:00Z')]);
    folder.warningsPage({
      items: [warning('a', 'Failed', '2026-11-26T08:00:00Z')],
      first: true,
      last: false,
    });
    folder.warningsPage({ items: [warning('a', 'Older', '2026-11-26T07:00:00Z')], first: false, last: true });
    expect(folder.summary('a')?.lastWarning).toEqual({
      reason: 'Failed',
      message: 'Failed',
      at: '2026-11-26T08:00:00.000Z',
    });
  });

  it('yields the summaries one at a time and says which apps have one', () => {
    const iterator = folder.summaries();
    expect(iterator.next().value).toEqual(expect.objectContaining({ app: 'a' }));
    expect(folder.has('a')).toBe(true);
    expect(folder.has('zz')).toBe(false);
  });
});
