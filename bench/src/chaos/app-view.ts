import type { Api, Caller } from './api';
import type { AppTruth } from './truth';

/** The parts of an app the soak compares with the truth. */
export interface AppView {
  build: string;
  deploy: string;
  sync: string;
  health: string;
}

interface SummaryLike {
  app?: string;
  build?: { taskId?: string | null; phase?: string } | null;
  deploy?: { taskId?: string | null; phase?: string } | null;
  sync?: { status?: string };
  health?: { status?: string };
}

const part = (p: { taskId?: string | null; phase?: string } | null | undefined): string =>
  p === null || p === undefined ? 'none' : `${p.taskId ?? '-'} ${p.phase ?? '?'}`;

/** What an AppSummary (from the list or the stream) shows. */
export function viewOfSummary(summary: unknown): { app: string; view: AppView } | undefined {
  const s = summary as SummaryLike | null;
  if (s === null || typeof s !== 'object' || typeof s.app !== 'string') return undefined;
  return {
    app: s.app,
    view: {
      build: part(s.build),
      deploy: part(s.deploy),
      sync: s.sync?.status ?? '?',
      health: s.health?.status ?? '?',
    },
  };
}

export function viewOfTruth(truth: AppTruth): AppView {
  return { build: part(truth.build), deploy: part(truth.deploy), sync: truth.sync, health: truth.health };
}

/** Every app on the list `caller` may see, from every page (`limit=200`). */
export async function loadList(
  api: Api,
  caller: Caller | { token: string; team?: undefined },
  baseUrl: () => string,
): Promise<Map<string, AppView> | undefined> {
  const views = new Map<string, AppView>();
  let cursor: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const query = `limit=200${cursor === undefined ? '' : `&cursor=${cursor}`}`;
    const answer = await api.call(caller, 'GET', `${baseUrl()}/summary/v1/apps?${query}`, '/summary/v1/apps');
    if (answer === undefined || answer.status !== 200) return undefined;
    const json = answer.json as { items?: unknown[]; nextCursor?: string | null };
    for (const item of json.items ?? []) {
      const seen = viewOfSummary(item);
      if (seen !== undefined) views.set(seen.app, seen.view);
    }
    if (json.nextCursor === null || json.nextCursor === undefined) return views;
    cursor = json.nextCursor;
  }
  return views;
}

/** The apps whose view differs from the truth (missing on either side counts), but those in `ignore`. */
export function differing(
  seen: ReadonlyMap<string, AppView>,
  truth: Readonly<Record<string, AppTruth>>,
  scope: (app: string, truth: AppTruth) => boolean,
  ignore: ReadonlySet<string> = new Set(),
): string[] {
  const out: string[] = [];
  for (const [app, t] of Object.entries(truth)) {
    if (!scope(app, t) || ignore.has(app)) continue;
    const view = seen.get(app);
    const expected = viewOfTruth(t);
    if (view === undefined || JSON.stringify(view) !== JSON.stringify(expected)) {
      out.push(`${app}: saw ${JSON.stringify(view ?? null)}, truth ${JSON.stringify(expected)}`);
    }
  }
  for (const app of seen.keys()) {
    if (ignore.has(app)) continue;
    const t = truth[app];
    if (t === undefined) out.push(`${app}: shown, but not in the truth`);
  }
  return out;
}
