import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kinds } from '@platform/sandbox';
import fc from 'fast-check';
import { APP_TEAM } from '../authz/cases';
import { startMatrixPlatform, type MatrixPlatform } from '../authz/matrix-platform';
import { APP, type ServiceName } from '../authz/rules';
import { operationsOf } from './operations';
import { RawHttpClient, type RawResponse } from './raw-http';
import { requestsFor, type Credentials, type FuzzRequest, type KnownValues } from './requests';
import { codeOf, responseProblem } from './response-check';
import { checkWorkflows, type Accepted, type TaskFacts } from './workflow-oracle';

const SERVICES: ServiceName[] = ['task', 'monitoring', 'summary'];
/** Requests per service; FUZZ_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** FUZZ_SEED replays a run: every request is drawn from it. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_206);
/** Requests in flight per service. */
const CONCURRENCY = 16;
const TIMEOUT_MS = 10_000;

/**
 * The fuzz suite: every route of the three services' OpenAPI documents gets generated and mutated
 * requests (path segments, query strings, headers, bodies; injection payloads in every field that
 * can reach a workflow, a chart value or a label selector), sent over keep-alive sockets as raw
 * bytes. Each answer must be a non-5xx, every 4xx in the error envelope; the services must stay
 * up; and every workflow the sandbox received must carry exactly the validated values.
 */
describe('fuzz', () => {
  let platform: MatrixPlatform;
  const started = Date.now();

  beforeAll(async () => {
    platform = await startMatrixPlatform({
      suite: 'fuzz',
      // Accepted tasks stay Pending, as behind a busy controller: the run reads what was submitted
      // without running thousands of builds.
      // (3.6e9 simulated ms at the sandbox's speed of 20 is 50 hours, within a timer's range.)
      sandbox: { workflowController: { pendingMs: 3_600_000_000 } },
      // The run sends 10,000 requests per service as three users: the default budgets (600 reads,
      // 60 mutations a minute) would answer most of them 429 and hide the routes behind the limit.
      env: {
        RATE_LIMIT_READS: '1000000',
        RATE_LIMIT_MUTATIONS: '1000000',
        RATE_LIMIT_STREAM_OPENS: '1000000',
        RATE_LIMIT_STREAM_TICKETS: '1000000',
        STREAMS_PER_USER: '100000',
      },
    });
  }, 180_000);
  afterAll(() => platform.stop());

  it(`answers ${RUNS} generated requests per service with no 5xx and 4xx only in the envelope`, async () => {
    const { idp, sandbox } = platform;
    const credentials: Credentials = {
      member: `Bearer ${await idp.sign({ sub: 'fuzz-member', teams: [APP_TEAM] })}`,
      otherTeam: `Bearer ${await idp.sign({ sub: 'fuzz-other', teams: ['content'] })}`,
      admin: `Bearer ${await idp.sign({ sub: 'fuzz-admin', groups: ['platform-admins'] })}`,
    };
    const facts = await taskFacts(platform.base.task, credentials.member);
    const known = knownValues(platform, facts);
    const before = new Set(sandbox.ctx.store.list(Kinds.Workflow).items.map((w) => w.metadata.name));
    const accepted: Accepted = new Map();
    const problems = new Map<string, { count: number; example: string }>();
    const figures: string[] = [];
    console.log(
      `fuzz: seed ${SEED}, ${RUNS} requests per service (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`,
    );

    await Promise.all(
      SERVICES.map(async (service, index) => {
        const base = platform.base[service];
        const operations = await operationsOf(service, base);
        const host = new URL(base).host;
        const requests = fc.sample(
          fc.oneof(...operations.map((op) => requestsFor(op, host, known, credentials))),
          { numRuns: RUNS, seed: SEED + index },
        );
        const statuses = new Map<string, number>();
        const client = RawHttpClient.forBase(base, TIMEOUT_MS);
        const serviceStarted = Date.now();
        await inParallel(requests, CONCURRENCY, async (request) => {
          const outcome = await client.send(request.raw);
          const key = typeof outcome === 'string' ? outcome : String(outcome.status);
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (typeof outcome !== 'string') {
            platform.record.body(`fuzz ${service} ${request.operation.path}`, outcome.headers, outcome.body);
            noteAccepted(request, outcome, accepted);
          }
          const problem = responseProblem(request.raw.method, outcome);
          if (problem !== undefined) {
            const signature = `${service} ${request.operation.method} ${request.operation.path}: ${problem}`;
            const seen = problems.get(signature);
            if (seen === undefined)
              problems.set(signature, { count: 1, example: summarize(request, outcome) });
            else seen.count += 1;
          }
        });
        client.close();
        const mix = [...statuses.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, count]) => `${status}×${count}`)
          .join(' ');
        figures.push(
          `fuzz: ${service}: ${requests.length} requests over ${operations.length} routes in ${((Date.now() - serviceStarted) / 1000).toFixed(1)} s; status mix ${mix}`,
        );
      }),
    );

    for (const service of SERVICES) {
      const res = await fetch(`${platform.base[service]}/healthz/live`);
      if (res.status !== 200)
        problems.set(`${service} is not live after the run (${res.status})`, { count: 1, example: '' });
    }
    const submitted = sandbox.ctx.store
      .list(Kinds.Workflow)
      .items.filter((w) => !before.has(w.metadata.name));
    const workflowProblems = await checkWorkflows(submitted, accepted, facts);
    for (const problem of workflowProblems) problems.set(`workflow: ${problem}`, { count: 1, example: '' });

    for (const line of figures.sort()) console.log(line);
    console.log(
      `fuzz: ${submitted.length} workflows submitted by accepted requests, their parameters checked; ` +
        `${problems.size} distinct problems; ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
    );
    expect(
      [...problems.entries()].map(
        ([signature, { count, example }]) => `${signature} (×${count}) e.g. ${example}`,
      ),
    ).toEqual([]);
  }, 600_000);
});

/** The names the generators draw valid values from: what exists in the sandbox and the catalog. */
function knownValues(platform: MatrixPlatform, facts: TaskFacts): KnownValues {
  const seeded = platform.sandbox.ctx.store.list(Kinds.Workflow).items[0];
  const image =
    (
      seeded as
        { status?: { outputs?: { parameters?: Array<{ name: string; value?: string }> } } } | undefined
    )?.status?.outputs?.parameters?.find((p) => p.name === 'image')?.value ?? '';
  const templates = Object.keys(facts.patterns);
  return {
    app: [APP, APP, 'app-00002'],
    name: [...templates, APP, 'fuzz-new-app', 'fuzz-other-app'],
    id: [platform.taskId, `${APP}-ci-zzzzz`],
    team: [APP_TEAM, 'content', 'nobody'],
    template: templates,
    environment: [...facts.environments, 'staging'],
    ref: ['main', 'v1.0.0', 'feature/fuzz', 'release-2026.12', 'a'.repeat(40)],
    tag: [image.slice(image.lastIndexOf(':') + 1), 'latest', 'v1'],
    container: ['main', 'app', 'sidecar'],
    topics: [`status:${APP}`, `status:${APP},events:${APP}`, `logs:${APP}`, `task:${platform.taskId}`],
    cursor: ['0', '1', 'eyJ9'],
    lastEventId: ['0', '1', '1-0'],
    'Last-Event-ID': ['0', '1', '1-0'],
    'Idempotency-Key': ['fuzz-key-1', 'fuzz-key-2', '3f1c2a9e-1b7d-4e6f-9a2b-0c8d7e6f5a4b'],
    parameter: ['8080', 'hello', 'hello, world!', 'true'],
    q: ['app', 'app-0', 'fuzz'],
    ticket: ['not-a-ticket'],
  };
}

/** The task service's environments and template parameter patterns, from its own API. */
async function taskFacts(base: string, authorization: string): Promise<TaskFacts> {
  const res = await fetch(`${base}/task/v1/templates`, { headers: { authorization } });
  const { items } = (await res.json()) as {
    items: Array<{ name: string; parameters: Array<{ name: string; pattern?: string }> }>;
  };
  const patterns = Object.fromEntries(
    items.map((t) => [t.name, Object.fromEntries(t.parameters.map((p) => [p.name, p.pattern ?? '.*']))]),
  );
  return { environments: ['dev', 'prod'], patterns };
}

/** A 2xx to a mutation that started a task: the workflow it names came from this request. */
function noteAccepted(request: FuzzRequest, outcome: RawResponse, accepted: Accepted): void {
  if (outcome.status < 200 || outcome.status >= 300 || request.raw.method !== 'POST') return;
  try {
    const id = (JSON.parse(outcome.body) as { id?: unknown }).id;
    if (typeof id === 'string' && !accepted.has(id)) accepted.set(id, request);
  } catch {
    // Not a task (a stream ticket).
  }
}

/** One request and its answer, short enough for a failure message, exact enough to replay. */
function summarize(request: FuzzRequest, outcome: RawResponse | 'timeout' | 'closed'): string {
  const { method, target, headers, body } = request.raw;
  const shown = (text: string): string => JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text);
  const answer =
    typeof outcome === 'string'
      ? outcome
      : `${outcome.status} ${codeOf(outcome.body) ?? shown(outcome.body)}`;
  return `${method} ${shown(target)} headers ${shown(JSON.stringify(headers.filter(([n]) => n !== 'authorization' && n !== 'host')))} body ${shown(body?.toString('utf8') ?? '')} → ${answer}`;
}

async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        if (item !== undefined) await work(item);
      }
    }),
  );
}
