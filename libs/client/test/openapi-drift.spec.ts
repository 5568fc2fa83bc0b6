import { randomUUID } from 'node:crypto';
import {
  PlatformApiError,
  PlatformClient,
  type EventStream,
  type StreamEvent,
  type StreamOptions,
} from '../src';
import { startPlatform, type RunningPlatform } from './support/platform';

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
}

/** One documented business operation: `GET /task/v1/tasks/{id}`. */
interface Documented {
  key: string;
  method: string;
  pattern: RegExp;
  query: Set<string>;
  bodyProperties: Set<string> | undefined;
}

/** A request the client made. */
interface Recorded {
  call: string;
  method: string;
  path: string;
  query: string[];
  bodyKeys: string[];
}

const PREFIXES = { task: '/task/v1', monitoring: '/monitoring/v1', summary: '/summary/v1' } as const;

/**
 * Reads a stream both ways, as Server-Sent Events and as long polls (which sends `cursor` and
 * `wait`), from a cursor the services never issued: both must get the same answer; the first
 * refusal is rethrown.
 */
async function bothForms(open: (options: StreamOptions) => EventStream<StreamEvent>): Promise<void> {
  const outcomes: unknown[] = [];
  for (const transport of ['sse', 'long-poll'] as const) {
    outcomes.push(
      await open({ transport, lastEventId: 'not-a-cursor-of-theirs' })
        .forEach(() => undefined)
        .then(
          () => 'ok',
          (error: unknown) => error,
        ),
    );
  }
  const [sse, polled] = outcomes.map((o) => (o instanceof PlatformApiError ? `${o.status} ${o.code}` : o));
  if (sse !== polled) throw new Error(`SSE answered ${String(sse)}, long polls ${String(polled)}`);
  if (outcomes[0] instanceof Error) throw outcomes[0];
}
// Parameters every stream takes for EventSource, which this client does not need (it sends headers).
const EVENTSOURCE_ONLY = new Set(['access_token', 'ticket', 'lastEventId']);

function documentedOperations(doc: OpenApiDocument, prefix: string): Documented[] {
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith(`${prefix}/`))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => {
        const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
        const schema = ref === undefined ? undefined : doc.components?.schemas?.[ref.split('/').pop() ?? ''];
        return {
          key: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
          query: new Set((operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)),
          bodyProperties: schema === undefined ? undefined : new Set(Object.keys(schema.properties ?? {})),
        };
      }),
    );
}

/**
 * The client cannot drift from the services: every request each client method makes is matched
 * against the OpenAPI documents the running services serve (method, path, query parameters, body
 * fields), and every documented business route must be reached by some client method.
 */
describe('the client against the services’ OpenAPI documents', () => {
  let platform: RunningPlatform;
  let documented: Documented[];
  const recorded: Recorded[] = [];
  const outcomes = new Map<string, string>();

  beforeAll(async () => {
    platform = await startPlatform();
    documented = [];
    for (const prefix of Object.values(PREFIXES)) {
      const res = await fetch(`${platform.baseUrl}${prefix}/docs/openapi.json`);
      expect(res.status).toBe(200);
      documented.push(...documentedOperations((await res.json()) as OpenApiDocument, prefix));
    }

    let current = '';
    const recording: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : input);
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
      recorded.push({
        call: current,
        method: init?.method ?? 'GET',
        path: url.pathname,
        query: [...url.searchParams.keys()],
        bodyKeys: Object.keys(body),
      });
      return fetch(input, init);
    };
    const client = new PlatformClient({
      baseUrl: platform.baseUrl,
      token: platform.tokens.alice,
      fetch: recording,
    });

    // Each method with arguments the services refuse without changing anything (or plain reads):
    // enough to prove the route exists and to see the request the method makes.
    const calls: Record<string, () => Promise<unknown>> = {
      templates: () => client.templates(),
      template: () => client.template('node-service'),
      createApp: () =>
        client.createApp(
          {
            name: 'Not A Name',
            team: 'payments',
            template: 'node-service',
            parameters: {},
            environment: 'dev',
          },
          { idempotencyKey: randomUUID() },
        ),
      build: () => client.build('no-such-app', { ref: 'main' }),
      deploy: () => client.deploy('no-such-app', { environment: 'dev', tag: 'abc123' }),
      getTask: () => client.getTask('no-such-task'),
      listTasks: () => client.listTasks({ app: 'shop', type: 'ci', phase: 'Failed', limit: 5, cursor: '0' }),
      cancelTask: () => client.cancelTask('no-such-task'),
      retryTask: () => client.retryTask('no-such-task'),
      approveTask: () => client.approveTask('no-such-task'),
      rejectTask: () => client.rejectTask('no-such-task'),
      deployments: () => client.deployments('no-such-app', { environment: 'prod', limit: 5 }),
      promote: () => client.promote('no-such-app', { from: 'dev', to: 'prod' }),
      rollback: () => client.rollback('no-such-app', { environment: 'prod', to: 'no-such-app-cd-x' }),
      retire: () => client.retire('no-such-app'),
      listApps: () =>
        client.listApps({
          team: 'payments',
          environment: 'prod',
          health: 'Healthy',
          sync: 'Synced',
          build: 'None',
          deploy: 'None',
          q: 'shop',
          sort: 'activity',
          limit: 5,
          cursor: 'bm90LWEtY3Vyc29y',
        }),
      allApps: async () => {
        for await (const app of client.allApps({ limit: 1 })) void app;
      },
      getApp: () => client.getApp('no-such-app'),
      stats: () => client.stats(),
      streamTicket: async () => {
        for (const service of ['task', 'monitoring', 'summary'] as const) await client.streamTicket(service);
      },
      appStatus: () => client.appStatus('no-such-app', undefined, 'prod'),
      recentLogs: () => client.recentLogs('no-such-app', { container: 'app', tail: 5, since: 60 }),
      recentEvents: () => client.recentEvents('no-such-app', 5),
      streamTask: () => bothForms((o) => client.streamTask('no-such-task', o)),
      streamAppStatus: () =>
        bothForms((o) => client.streamAppStatus('no-such-app', { environment: 'prod', ...o })),
      streamLogs: () =>
        bothForms((o) =>
          client.streamLogs('no-such-app', {
            container: 'app',
            tail: 5,
            since: 60,
            environment: 'prod',
            ...o,
          }),
        ),
      streamEvents: () => bothForms((o) => client.streamEvents('no-such-app', { environment: 'prod', ...o })),
      streamTopics: () =>
        bothForms((o) => client.streamTopics(['status:no-such-app', 'task:no-such-task'], o)),
      streamApp: () => bothForms((o) => client.streamApp('no-such-app', undefined, o)),
      // Opens (nothing to refuse): closed as soon as it is open.
      streamSummary: () =>
        bothForms((o) => {
          const opened = new AbortController();
          return client.streamSummary({ ...o, signal: opened.signal, onOpen: () => opened.abort() });
        }),
    };
    const methods = Object.getOwnPropertyNames(PlatformClient.prototype).filter(
      (name) => !['constructor', 'submit', 'stream'].includes(name),
    );
    // A new client method must be added above, or this suite would not check it.
    expect(Object.keys(calls).sort()).toEqual(methods.sort());

    for (const [name, call] of Object.entries(calls)) {
      current = name;
      outcomes.set(
        name,
        await call().then(
          () => 'ok',
          (error: unknown) =>
            error instanceof PlatformApiError ? `${error.status} ${error.code}` : String(error),
        ),
      );
    }
  }, 120_000);
  afterAll(() => platform?.stop());

  it('reaches a real route with every method (refusals name the request, never the route)', () => {
    for (const [call, outcome] of outcomes) {
      expect({ call, outcome }).toEqual({
        call,
        outcome: expect.stringMatching(/^(ok|4\d\d (?!ROUTE_NOT_FOUND)[A-Z_]+)$/),
      });
    }
    expect(Object.fromEntries(outcomes)).toMatchObject({
      templates: 'ok',
      createApp: '400 VALIDATION_FAILED',
      getTask: '404 TASK_NOT_FOUND',
      getApp: '404 APP_NOT_FOUND',
      streamTask: '404 TASK_NOT_FOUND',
      streamApp: '404 APP_NOT_FOUND',
      streamSummary: 'ok',
    });
  });

  it('sends only documented methods, paths, query parameters and body fields', () => {
    for (const request of recorded) {
      const matches = documented.filter((d) => d.method === request.method && d.pattern.test(request.path));
      expect({ request, documented: matches.map((m) => m.key) }).toEqual({
        request,
        documented: [expect.any(String)],
      });
      const [operation] = matches;
      if (operation === undefined) continue;
      expect({ request, undocumentedQuery: request.query.filter((q) => !operation.query.has(q)) }).toEqual({
        request,
        undocumentedQuery: [],
      });
      const body = operation.bodyProperties;
      const undocumentedBody = body === undefined ? [] : request.bodyKeys.filter((k) => !body.has(k));
      expect({ request, undocumentedBody }).toEqual({ request, undocumentedBody: [] });
    }
  });

  it('covers every documented business route and each of its query parameters', () => {
    const uncovered = documented
      .filter((d) => !recorded.some((r) => r.method === d.method && d.pattern.test(r.path)))
      .map((d) => d.key);
    expect(uncovered).toEqual([]);
    const unusedQuery = documented.flatMap((d) => {
      const sent = new Set(
        recorded.filter((r) => r.method === d.method && d.pattern.test(r.path)).flatMap((r) => r.query),
      );
      return [...d.query]
        .filter((q) => !sent.has(q) && !EVENTSOURCE_ONLY.has(q))
        .map((q) => `${d.key} ?${q}`);
    });
    expect(unusedQuery).toEqual([]);
  });
});
