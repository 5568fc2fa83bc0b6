import { Logger } from '@nestjs/common';
import { Subject } from 'rxjs';
import { SummaryFolder } from '../fold/summary-folder';
import { WATCHES, type WatchName } from './source-tracker';
import { UpstreamSources, type ConnectionListener } from './upstream-sources';
import { WatchSet } from './watch-set';

/** Upstreams whose every watch is a Subject the test drives, remembering each one's listener. */
class SubjectSources extends UpstreamSources {
  readonly streams = new Map<WatchName, Subject<unknown>>(WATCHES.map((w) => [w, new Subject<unknown>()]));
  readonly listeners = new Map<WatchName, ConnectionListener>();
  private open(watch: WatchName, listen: ConnectionListener): never {
    this.listeners.set(watch, listen);
    return this.streams.get(watch)?.asObservable() as never;
  }
  applications = (listen: ConnectionListener) => this.open('argocd', listen);
  workflows = (listen: ConnectionListener) => this.open('workflows', listen);
  pods = (listen: ConnectionListener) => this.open('pods', listen);
  deployments = (listen: ConnectionListener) => this.open('deployments', listen);
  warnings = (listen: ConnectionListener) => this.open('warnings', listen);
}

type Fold =
  | 'applicationsPage'
  | 'application'
  | 'workflowsPage'
  | 'workflow'
  | 'podsPage'
  | 'pod'
  | 'deploymentsPage'
  | 'deployment'
  | 'warningsPage'
  | 'warning';

/** Replaces one of the folder's methods with a recorder (what it folds is the fold suites' matter). */
const stub = (method: Fold) =>
  jest
    .spyOn(SummaryFolder.prototype as unknown as Record<Fold, (...args: unknown[]) => void>, method)
    .mockImplementation(() => undefined);

const FOLDS: Array<[WatchName, Fold, Fold, object]> = [
  ['argocd', 'applicationsPage', 'application', { type: 'MODIFIED', application: { metadata: {} } }],
  ['workflows', 'workflowsPage', 'workflow', { type: 'MODIFIED', object: { metadata: {} } }],
  ['pods', 'podsPage', 'pod', { type: 'MODIFIED', object: { metadata: {} } }],
  ['deployments', 'deploymentsPage', 'deployment', { type: 'MODIFIED', object: { metadata: {} } }],
  ['warnings', 'warningsPage', 'warning', { type: 'MODIFIED', object: { metadata: {} } }],
];

describe(WatchSet.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it.each(FOLDS)('folds the %s watch: pages into %s, events into %s', (watch, pageFold, eventFold, event) => {
    const page = stub(pageFold);
    const change = stub(eventFold);
    const sources = new SubjectSources();
    const onListed = jest.fn();
    const set = new WatchSet(new Logger('test'), onListed);
    set.start(sources);
    const stream = sources.streams.get(watch);
    stream?.next({ kind: 'snapshot-page', items: [], first: true, last: false, reason: 'initial list' });
    expect(onListed).not.toHaveBeenCalled();
    stream?.next({ kind: 'snapshot-page', items: [], first: false, last: true, reason: 'initial list' });
    stream?.next({ kind: 'event', event });
    expect(page).toHaveBeenCalledTimes(2);
    expect(change).toHaveBeenCalledTimes(1);
    expect(onListed).toHaveBeenCalledTimes(1);
    expect(set.allListed).toBe(false);
  });

  it('is all listed once every source folded its last page, and folds nothing once closed', () => {
    for (const [, pageFold, eventFold] of FOLDS) {
      stub(pageFold);
      stub(eventFold);
    }
    const sources = new SubjectSources();
    const set = new WatchSet(new Logger('test'), () => undefined);
    set.start(sources);
    sources.listeners.get('pods')?.(true, 'watch open');
    for (const stream of sources.streams.values())
      stream.next({ kind: 'snapshot-page', items: [], first: true, last: true, reason: 'initial list' });
    expect(set.allListed).toBe(true);
    expect(set.tracker.statuses(0).kubernetes.connected).toBe(false);
    set.close();
    expect([...sources.streams.values()].every((s) => !s.observed)).toBe(true);
    sources.listeners.get('argocd')?.(true, 'late');
    expect(set.tracker.statuses(0).argocd.connected).toBe(false);
  });
});
