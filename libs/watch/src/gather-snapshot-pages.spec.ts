import { from, lastValueFrom, toArray } from 'rxjs';
import { gatherSnapshotPages } from './gather-snapshot-pages';
import type { WatchNotice } from './watch-notice';

describe(gatherSnapshotPages.name, () => {
  it('gathers the pages of a snapshot, dropping one that a relist replaced half-read', async () => {
    const notices: Array<WatchNotice<string, number>> = [
      { kind: 'snapshot-page', items: [1, 2], first: true, last: false, reason: 'initial list' },
      { kind: 'snapshot-page', items: [3], first: true, last: false, reason: 'expired' },
      { kind: 'snapshot-page', items: [4], first: false, last: true, reason: 'expired' },
      { kind: 'event', event: 'changed' },
      { kind: 'reconnected', reason: 'drop' },
    ];
    const gathered = await lastValueFrom(from(notices).pipe(gatherSnapshotPages(), toArray()));
    expect(gathered).toEqual([
      { kind: 'snapshot', items: [3, 4], reason: 'expired' },
      { kind: 'event', event: 'changed' },
      { kind: 'reconnected', reason: 'drop' },
    ]);
  });
});
