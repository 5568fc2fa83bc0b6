import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { authorizationFor, CASES, type Case } from './cases';
import { startMatrixPlatform, type MatrixPlatform } from './matrix-platform';
import { APP, expected, RULES, TEMPLATE, type Outcome, type Rule, type ServiceName } from './rules';

const SERVICES: ServiceName[] = ['task', 'monitoring', 'summary'];

/**
 * Every route of the three services' OpenAPI documents × eleven callers (no token, six kinds of
 * bad token, a wildcard teams claim, another team's member, the app's team's member, an admin)
 * → the status and error code each gets; stream routes must open (then they are closed).
 * The routes come from the documents the services serve, so a new route without a rule in
 * rules.ts fails here.
 */
describe('authorization matrix', () => {
  let platform: MatrixPlatform;
  let headers: Record<Case, string | undefined>;

  beforeAll(async () => {
    platform = await startMatrixPlatform({
      suite: 'authorization-matrix',
      // Every POST route × every case from one address: above the default 60 mutations a minute.
      // The limits themselves are tested in each service's limits suite.
      env: { RATE_LIMIT_MUTATIONS: '1000' },
    });
    headers = await authorizationFor(platform.idp);
  }, 120_000);
  afterAll(() => platform.stop());

  const documentedRoutes = async (): Promise<Array<{ service: ServiceName; route: string }>> => {
    const routes: Array<{ service: ServiceName; route: string }> = [];
    for (const service of SERVICES) {
      const res = await fetch(`${platform.base[service]}/docs/openapi.json`);
      const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const method of Object.keys(operations))
          routes.push({ service, route: `${method.toUpperCase()} ${path}` });
      }
    }
    return routes;
  };

  it('has a rule for every documented route, and no rule for a route that is gone', async () => {
    const documented = (await documentedRoutes()).map((r) => `${r.service} ${r.route}`).sort();
    const ruled = RULES.map((r) => `${r.service} ${r.route}`).sort();
    expect({
      withoutRule: documented.filter((route) => !ruled.includes(route)),
      ruleWithoutRoute: ruled.filter((route) => !documented.includes(route)),
    }).toEqual({ withoutRule: [], ruleWithoutRoute: [] });
  });

  it('answers every route × case as its rule says', async () => {
    const mismatches: Array<{ route: string; case: Case; expected: Outcome; got: Outcome }> = [];
    let checks = 0;
    for (const rule of RULES) {
      for (const which of CASES) {
        const got = await call(rule, headers[which]);
        checks += 1;
        const want = expected(rule, which);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push({ route: `${rule.service} ${rule.route}`, case: which, expected: want, got });
        }
      }
    }
    const streams = RULES.filter((rule) => CASES.some((which) => expected(rule, which) === 'stream')).length;
    console.log(
      `authorization matrix: ${RULES.length} routes (${streams} streams) × ${CASES.length} cases = ${checks} checks, ${checks - mismatches.length} as expected`,
    );
    expect(mismatches).toEqual([]);
  }, 300_000);

  /** One request as the rule describes it; a stream that opens is closed at once. */
  async function call(rule: Rule, authorization: string | undefined): Promise<Outcome> {
    const [method = 'GET', template = ''] = rule.route.split(' ');
    const path = template.replace('{app}', APP).replace('{id}', platform.taskId).replace('{name}', TEMPLATE);
    const url = `${platform.base[rule.service]}${path}${rule.query === undefined ? '' : `?${rule.query}`}`;
    const abort = new AbortController();
    const res = await fetch(url, {
      method,
      signal: abort.signal,
      headers: {
        accept: 'application/json, text/event-stream',
        ...(authorization === undefined ? {} : { authorization }),
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      body: method === 'POST' ? JSON.stringify(rule.body ?? {}) : undefined,
    });
    if (res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      abort.abort();
      return 'stream';
    }
    const text = await res.text();
    platform.record.body(`${rule.service} ${rule.route}`, Object.fromEntries(res.headers), text);
    let code: string | null = null;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
    } catch {
      // Prometheus text and the like: not an error envelope.
    }
    return { status: res.status, code };
  }
});
