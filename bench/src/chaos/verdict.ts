import type { Submission } from './api';
import { differing, viewOfTruth, type AppView } from './app-view';
import type { Truth } from './truth';
import type { Watcher } from './watchers';

export interface Duplicates {
  /** Workflows beyond one per Idempotency-Key, per app and task type. */
  duplicates: number;
  /** 202s whose workflow does not exist. */
  lostAccepted: number;
  details: string[];
}

/**
 * Each logical change was sent under one key (retries included), so an app and task type can have
 * at most as many new workflows as keys were sent for it; any more is a duplicate.
 */
export function countDuplicates(
  submissions: readonly Submission[],
  baseline: ReadonlySet<string>,
  truth: Truth,
): Duplicates {
  const keys = new Map<string, number>();
  for (const s of submissions) keys.set(`${s.app} ${s.type}`, (keys.get(`${s.app} ${s.type}`) ?? 0) + 1);
  const made = new Map<string, number>();
  for (const w of truth.workflows) {
    if (baseline.has(w.name)) continue;
    made.set(`${w.app} ${w.type}`, (made.get(`${w.app} ${w.type}`) ?? 0) + 1);
  }
  const details: string[] = [];
  let duplicates = 0;
  for (const [what, n] of made) {
    const extra = n - (keys.get(what) ?? 0);
    if (extra > 0) {
      duplicates += extra;
      details.push(`${what}: ${n} workflows for ${keys.get(what) ?? 0} keys`);
    }
  }
  const names = new Set(truth.workflows.map((w) => w.name));
  const lost = submissions.filter((s) => s.taskId !== undefined && !names.has(s.taskId));
  details.push(...lost.map((s) => `accepted ${s.taskId ?? ''} (${s.app} ${s.type}) has no workflow`));
  return { duplicates, lostAccepted: lost.length, details };
}

/** Apps whose truth changed between two reads: a comparison with either would be a race. */
export function movingApps(before: Truth, after: Truth): Set<string> {
  const moving = new Set<string>();
  const apps = new Set([...Object.keys(before.apps), ...Object.keys(after.apps)]);
  for (const app of apps) {
    const a = before.apps[app];
    const b = after.apps[app];
    const same =
      a !== undefined && b !== undefined && JSON.stringify(viewOfTruth(a)) === JSON.stringify(viewOfTruth(b));
    if (!same) moving.add(app);
  }
  return moving;
}

/** The apps (union over the replicas) whose summary differs from the truth. */
export function summaryDifferences(
  lists: ReadonlyArray<ReadonlyMap<string, AppView> | undefined>,
  truth: Truth,
  moving: ReadonlySet<string>,
): string[] {
  const out = new Set<string>();
  lists.forEach((list, i) => {
    if (list === undefined) {
      out.add(`replica ${i}: the list could not be read`);
      return;
    }
    for (const d of differing(list, truth.apps, () => true, moving)) out.add(d);
  });
  return [...out];
}

export function watcherDifferences(
  watchers: readonly Watcher[],
  truth: Truth,
  moving: ReadonlySet<string>,
): Array<{ watcher: string; apps: string[] }> {
  return watchers
    .map((w) => ({ watcher: w.name, apps: w.differences(truth, moving) }))
    .filter((d) => d.apps.length > 0);
}
