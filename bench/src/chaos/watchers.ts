import type { Api, Caller } from './api';
import { differing, loadList, viewOfSummary, type AppView } from './app-view';
import { EventStream } from './event-stream';
import type { Recorder } from './recorder';
import type { Truth } from './truth';

/** A portal client that keeps a live picture of some apps, compared with the truth at the end. */
export interface Watcher {
  readonly name: string;
  /** The apps whose last state differs from the truth (empty: it agrees), but the `moving` ones. */
  differences(truth: Truth, moving: ReadonlySet<string>): string[];
  close(): void;
}

/**
 * A portal's app list page: `GET /summary/v1/stream` on one replica, the list loaded again on
 * every `snapshot`, `app` and `deleted` events applied on top.
 */
export class SummaryWatcher implements Watcher {
  readonly name: string;
  private readonly team: string;
  private readonly apps = new Map<string, AppView>();
  private readonly stream: EventStream;

  constructor(api: Api, recorder: Recorder, caller: Caller, baseUrl: () => string, label: string) {
    this.name = `summary stream of ${caller.team} (${label})`;
    this.stream = new EventStream(
      () => `${baseUrl()}/summary/v1/stream`,
      caller.token,
      caller.team,
      '/summary/v1/stream',
      recorder,
      async ({ event, data }) => {
        if (event === 'snapshot') {
          const list = await loadList(api, caller, baseUrl);
          if (list === undefined) return;
          this.apps.clear();
          for (const [app, view] of list) this.apps.set(app, view);
        } else if (event === 'app') {
          const seen = viewOfSummary(data);
          if (seen !== undefined) this.apps.set(seen.app, seen.view);
        } else if (event === 'deleted') {
          const app = (data as { app?: string } | null)?.app;
          if (app !== undefined) this.apps.delete(app);
        }
      },
    );
    this.team = caller.team;
    this.stream.start();
  }

  differences(truth: Truth, moving: ReadonlySet<string>): string[] {
    return differing(this.apps, truth.apps, (_app, t) => t.team === this.team, moving);
  }

  close(): void {
    this.stream.close();
  }
}

interface StatusLike {
  sync?: { status?: string };
  health?: { status?: string };
}

/** A portal's app page: `GET /monitoring/v1/apps/{app}/status/stream`, its last sync and health. */
export class StatusWatcher implements Watcher {
  readonly name: string;
  private last: { sync: string; health: string } | null | undefined;
  private readonly stream: EventStream;

  constructor(
    recorder: Recorder,
    caller: Caller,
    baseUrl: string,
    private readonly app: string,
  ) {
    this.name = `status stream of ${app}`;
    this.stream = new EventStream(
      () => `${baseUrl}/monitoring/v1/apps/${app}/status/stream`,
      caller.token,
      caller.team,
      '/monitoring/v1/apps/{app}/status/stream',
      recorder,
      ({ event, data }) => {
        if (event !== 'snapshot' && event !== 'status' && event !== 'deleted') return;
        const status = (event === 'deleted' ? null : data) as StatusLike | null;
        this.last =
          status === null ? null : { sync: status.sync?.status ?? '?', health: status.health?.status ?? '?' };
      },
    );
    this.stream.start();
  }

  differences(truth: Truth, moving: ReadonlySet<string>): string[] {
    if (moving.has(this.app)) return [];
    const t = truth.apps[this.app];
    const expected = t === undefined ? null : { sync: t.sync, health: t.health };
    const seen = this.last ?? null;
    if (this.stream.stoppedBy204) return [`${this.app}: the stream ended (204)`];
    return JSON.stringify(seen) === JSON.stringify(expected)
      ? []
      : [`${this.app}: saw ${JSON.stringify(seen)}, truth ${JSON.stringify(expected)}`];
  }

  close(): void {
    this.stream.close();
  }
}
