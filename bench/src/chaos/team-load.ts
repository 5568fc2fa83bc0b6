import { sleep, type Api, type Caller } from './api';
import type { Recorder } from './recorder';

/** Where the soak's clients reach the services; summary is whichever replica is up, in turn. */
export interface Endpoints {
  task: string;
  monitoring: string;
  summary: () => string;
}

export interface TeamLoadOptions {
  /** A build or deploy of one of the team's seeded apps every this many ms. */
  churnEveryMs: number;
  /** A read (list, app, tasks, status) every this many ms. */
  readEveryMs: number;
  /** A request for another team's app every this many ms (must be 404). */
  probeEveryMs: number;
  /** Builds and deploys of each created app before the next app is created. */
  cyclesPerApp: number;
}

interface TaskLike {
  id?: string;
  phase?: string;
  result?: { image?: string } | null;
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Cancelled']);
const MAX_RETRIES = 3;

/**
 * What one team does during the soak, as its developers would through the portal: create an app,
 * build it and deploy the image, build and deploy again; meanwhile builds and deploys of its other
 * (seeded) apps, reads of its lists, tasks and statuses, and now and then a look at another team's
 * app (which must be a 404).
 */
export class TeamLoad {
  readonly pipelines = { created: 0, built: 0, deployed: 0, failed: 0, retried: 0 };
  private stopping = false;
  /** The app {@link prepare} created, built and deployed first once the soak starts. */
  private prepared: string | undefined;
  private nextApp = 1;
  private readonly running: Array<Promise<void>> = [];
  private readonly myApps: string[];
  private readonly recentTasks: string[] = [];

  constructor(
    private readonly api: Api,
    private readonly recorder: Recorder,
    private readonly caller: Caller,
    private readonly endpoints: Endpoints,
    seeded: { apps: string[]; tags: ReadonlyMap<string, string> },
    private readonly otherTeamsApps: () => string[],
    private readonly onCreated: (app: string) => void,
    private readonly options: TeamLoadOptions,
  ) {
    this.myApps = [...seeded.apps];
    this.seededTags = seeded.tags;
  }

  private readonly seededTags: ReadonlyMap<string, string>;

  start(): void {
    this.running.push(
      this.pipelineLoop(),
      this.every(this.options.churnEveryMs, () => this.churn()),
    );
    this.running.push(this.every(this.options.readEveryMs, () => this.read()));
    this.running.push(this.every(this.options.probeEveryMs, () => this.probe()));
  }

  /** No new actions; the current ones end at their next step. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  /**
   * Before the faults: the team's first app, created through the task service (a create runs
   * git, Helm and Argo CD steps for half a minute on a busy machine), so that the soak's window
   * sees it built and deployed.
   */
  async prepare(): Promise<void> {
    for (let n = 1; n <= 3 && this.prepared === undefined; n += 1) this.prepared = await this.create(n);
  }

  private async pipelineLoop(): Promise<void> {
    for (let n = this.nextApp; !this.stopping; n += 1) {
      const app = this.prepared ?? (await this.create(n));
      this.prepared = undefined;
      if (app === undefined) {
        await sleep(1000);
        continue;
      }
      await this.cycles(app);
    }
  }

  /** Creates `<team>-soak-<n>`; its name once it exists. */
  private async create(n: number): Promise<string | undefined> {
    const team = this.caller.team;
    const app = `${team}-soak-${n}`;
    this.nextApp = n + 1;
    this.recorder.own(app, team);
    const created = await this.change(
      '/task/v1/apps',
      { name: app, team, template: 'node-service' },
      app,
      'create',
    );
    if (created?.phase !== 'Succeeded') {
      if (created !== undefined) this.pipelines.failed += 1;
      return undefined;
    }
    this.pipelines.created += 1;
    this.myApps.push(app);
    this.onCreated(app);
    return app;
  }

  /** Builds `app` and deploys what was built, `cyclesPerApp` times, until something fails. */
  private async cycles(app: string): Promise<void> {
    for (let cycle = 0; cycle < this.options.cyclesPerApp && !this.stopping; cycle += 1) {
      const build = await this.change(`/task/v1/apps/${app}/builds`, { ref: 'main' }, app, 'ci');
      const tag = build?.result?.image?.split(':').at(-1);
      if (build?.phase !== 'Succeeded' || tag === undefined) {
        if (build !== undefined) this.pipelines.failed += 1;
        return;
      }
      this.pipelines.built += 1;
      const deploy = await this.change(
        `/task/v1/apps/${app}/deployments`,
        { environment: 'dev', tag },
        app,
        'cd',
      );
      if (deploy?.phase !== 'Succeeded') {
        if (deploy !== undefined) this.pipelines.failed += 1;
        return;
      }
      this.pipelines.deployed += 1;
    }
  }

  /** Submits a change and follows its task to the end; undefined when it never got a task. */
  private async change(
    route: string,
    body: unknown,
    app: string,
    type: 'create' | 'ci' | 'cd',
  ): Promise<TaskLike | undefined> {
    const submitted = await this.submit(route, route.replace(app, '{app}'), body, { app, type });
    if (submitted.taskId === undefined) return undefined;
    let task = await this.follow(submitted.taskId);
    // A step that met an injected fault fails as it would in a cluster; the developer retries.
    for (let i = 0; i < MAX_RETRIES && task?.phase === 'Failed' && !this.stopping; i += 1) {
      this.pipelines.retried += 1;
      const route = `/task/v1/tasks/${submitted.taskId}/retry`;
      const retried = await this.submit(route, '/task/v1/tasks/{id}/retry', {}, { app, type: 'retry' });
      if (retried.taskId === undefined) break;
      task = await this.follow(submitted.taskId);
    }
    return task;
  }

  /** One change to the task service as this team's caller, until the soak stops. */
  private submit(
    route: string,
    routeLabel: string,
    body: unknown,
    tags: Parameters<Api['submit']>[4],
  ): ReturnType<Api['submit']> {
    return this.api.submit(
      this.caller,
      `${this.endpoints.task}${route}`,
      routeLabel,
      body,
      tags,
      () => this.stopping,
    );
  }

  private async follow(taskId: string): Promise<TaskLike | undefined> {
    this.remember(taskId);
    let last: TaskLike | undefined;
    for (let i = 0; i < 300 && !this.stopping; i += 1) {
      await sleep(1000);
      const answer = await this.api.call(
        this.caller,
        'GET',
        `${this.endpoints.task}/task/v1/tasks/${taskId}`,
        '/task/v1/tasks/{id}',
      );
      if (answer?.status !== 200) continue;
      last = answer.json as TaskLike;
      if (TERMINAL.has(last.phase ?? '')) return last;
    }
    return last;
  }

  private async churn(): Promise<void> {
    const app = pick(this.myApps.filter((a) => this.seededTags.has(a)));
    if (app === undefined) return;
    const tag = this.seededTags.get(app) ?? '';
    const [route, body, type] =
      Math.random() < 0.7
        ? ([`/task/v1/apps/${app}/builds`, { ref: 'main' }, 'ci'] as const)
        : ([`/task/v1/apps/${app}/deployments`, { environment: 'dev', tag }, 'cd'] as const);
    const submitted = await this.submit(route, route.replace(app, '{app}'), body, { app, type });
    if (submitted.taskId !== undefined) this.remember(submitted.taskId);
  }

  private async read(): Promise<void> {
    const app = pick(this.myApps) ?? '';
    const reads: Array<[string, string]> = [
      [`${this.endpoints.summary()}/summary/v1/apps?limit=50&team=${this.caller.team}`, '/summary/v1/apps'],
      [`${this.endpoints.summary()}/summary/v1/apps/${app}`, '/summary/v1/apps/{app}'],
      [`${this.endpoints.task}/task/v1/tasks?app=${app}&limit=20`, '/task/v1/tasks'],
      [`${this.endpoints.monitoring}/monitoring/v1/apps/${app}/status`, '/monitoring/v1/apps/{app}/status'],
    ];
    const task = pick(this.recentTasks);
    if (task !== undefined)
      reads.push([`${this.endpoints.task}/task/v1/tasks/${task}`, '/task/v1/tasks/{id}']);
    const [url, route] = pick(reads) ?? reads[0] ?? ['', ''];
    await this.api.call(this.caller, 'GET', url, route);
  }

  /**
   * Another team's app, through each service: its summary and status must be 404 (anything else
   * but upstream trouble is a leak); the task list filtered by it must be empty (its body is
   * scanned like every answer).
   */
  private async probe(): Promise<void> {
    const app = pick(this.otherTeamsApps());
    if (app === undefined) return;
    const probes: Array<[string, string, number]> = [
      [`${this.endpoints.summary()}/summary/v1/apps/${app}`, '/summary/v1/apps/{app}', 404],
      [`${this.endpoints.task}/task/v1/tasks?app=${app}`, '/task/v1/tasks', 200],
      [
        `${this.endpoints.monitoring}/monitoring/v1/apps/${app}/status`,
        '/monitoring/v1/apps/{app}/status',
        404,
      ],
    ];
    for (const [url, route, expected] of probes) {
      const answer = await this.api.call(this.caller, 'GET', url, route);
      if (answer === undefined || answer.status === expected || answer.status >= 500) continue;
      this.recorder.leaks.push({
        what: `${this.caller.team} asked for ${app} of another team`,
        detail: `${route} answered ${answer.status}, not ${expected}`,
      });
    }
  }

  private remember(taskId: string): void {
    this.recentTasks.push(taskId);
    if (this.recentTasks.length > 50) this.recentTasks.shift();
  }

  private async every(ms: number, action: () => Promise<void>): Promise<void> {
    // Spread the teams' timers apart.
    await sleep(Math.random() * ms);
    const inFlight = new Set<Promise<void>>();
    while (!this.stopping) {
      const done: Promise<void> = action()
        .catch(() => undefined)
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
      await sleep(ms);
    }
    await Promise.all(inFlight);
  }
}

function pick<T>(items: readonly T[]): T | undefined {
  return items[Math.floor(Math.random() * items.length)];
}
