import { execFileSync } from 'node:child_process';
import path from 'node:path';

const DIST = path.join(__dirname, '..', '..', 'dist', 'fold');

/**
 * Facts of one kind must share V8's hidden class: at tens of thousands of apps a class per fact
 * (what copying by spread gave) cost about 300 bytes each. Checked with V8's own %HaveSameMap
 * in a node started with --allow-natives-syntax, on the built folder.
 */
const PROBE = `
const { SummaryFolder } = require(${JSON.stringify(path.join(DIST, 'summary-folder.js'))});
const folder = new SummaryFolder(() => '2026-01-01T00:00:00Z');
const pod = (i) => ({
  metadata: { name: 'p' + i, namespace: 'ns', labels: { 'platform-api/app': 'app-' + i } },
  spec: { containers: [{ name: 'c' }] },
  status: { containerStatuses: [{ name: 'c', ready: i % 2 === 0, restartCount: i }] },
});
const deployment = (i) => ({
  metadata: { name: 'app-' + i, namespace: 'ns', generation: 1, labels: { 'platform-api/app': 'app-' + i } },
  spec: { replicas: 1 },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
});
const application = (i) => ({
  metadata: { name: 'app-' + i + '-dev', labels: { 'platform-api/app': 'app-' + i, 'platform-api/environment': 'dev' } },
  spec: { destination: { namespace: 'ns' } },
  status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
});
// Enough of each for V8's inline caches to settle (a spread shares classes for the first few dozen).
const first = Array.from({ length: 1000 }, (_, i) => i);
folder.applicationsPage({ kind: 'snapshot-page', items: first.map(application), first: true, last: true, reason: 'test' });
folder.podsPage({ kind: 'snapshot-page', items: first.map(pod), first: true, last: true, reason: 'test' });
folder.deploymentsPage({ kind: 'snapshot-page', items: first.map(deployment), first: true, last: true, reason: 'test' });
for (let i = 1000; i < 2000; i += 1) {
  folder.application('ADDED', application(i));
  folder.pod('ADDED', pod(i));
  folder.deployment('ADDED', deployment(i));
}
const facts = (part) => [...folder.states.values()].flatMap((state) => [...state[part].values()]);
const shared = (list) => list.every((fact) => %HaveSameMap(fact, list[0]));
console.log(JSON.stringify({
  pods: facts('pods').length,
  podsShared: shared(facts('pods')),
  deploymentsShared: shared(facts('deployments')),
  applicationsShared: shared(facts('applications')),
}));
`;

describe('facts in the folder', () => {
  it('share one hidden class per kind, whether from a snapshot page or an event', () => {
    const output = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', PROBE], {
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      pods: 2000,
      podsShared: true,
      deploymentsShared: true,
      applicationsShared: true,
    });
  });
});
