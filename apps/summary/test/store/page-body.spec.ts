import type { AppSummary, EnvironmentSummary, SummarySource } from '@platform/domain';
import type { StoredSummary } from '../../src/fold/stored-summary';
import { pageBody } from '../../src/store/page-body';
import { staleSuffix, withStaleness, type SourceView } from '../../src/store/source-health';
import fc from 'fast-check';
import { decodeRecord, encodeRecord, SHARED_PARTS_MARK } from '../../src/store/stored-record';
import { environmentFactory, summaryFactory } from '../support/summary.factory';

const observed = {
  app: '2026-11-26T15:00:59Z',
  build: '2026-11-26T15:00:58Z',
  deploy: null,
  sync: '2026-11-26T15:00:59Z',
  health: '2026-11-26T15:00:59Z',
  pods: '2026-11-26T15:01:00Z',
  rollout: null,
  lastWarning: '2026-11-26T15:01:02Z',
};

const summaries: StoredSummary[] = [
  summaryFactory({ app: 'a1', observedAt: observed }),
  // Every part unobserved yet, and text that is neither ASCII nor free of JSON's special characters.
  summaryFactory({
    app: 'a2',
    health: { status: 'Degraded', message: 'Back-off «restarting», "failed" container, exit 1 — 🚑' },
    lastWarning: { reason: 'BackOff', message: 'a, b] and c}', at: '2026-11-26T15:01:02Z' },
  }),
  summaryFactory({ app: 'a3', observedAt: { ...observed, app: null, sync: null } }),
];

const view = (stale: boolean): Map<SummarySource, SourceView> =>
  new Map([
    ['argocd', { connected: !stale, since: 0, heartbeatAt: 0, stale }],
    ['workflows', { connected: true, since: 0, heartbeatAt: 0, stale: false }],
  ]);

/** One buffer for every page, as a pool would lend it again: each page must be cut from it whole. */
let shared = Buffer.alloc(0);
function lend(bytes: number): Buffer {
  if (shared.length < bytes) shared = Buffer.alloc(bytes, '#');
  return shared;
}

function page(records: Buffer[], sources: Map<SummarySource, SourceView>): AppSummary[] {
  const body = pageBody('{"items":[', records, staleSuffix(sources), '],"n":1}', lend);
  return (JSON.parse(body.toString('utf8')) as { items: AppSummary[] }).items;
}

describe('stored records', () => {
  it('decode to the summary they were encoded from', () => {
    for (const summary of summaries) expect(decodeRecord(encodeRecord(summary))).toEqual(summary);
  });

  it('leave the part names out: the record is shorter than its JSON by their length', () => {
    const names = Object.keys(observed).reduce((n, part) => n + part.length + 3, 0);
    for (const summary of summaries)
      expect(encodeRecord(summary).length).toBe(JSON.stringify(summary).length - names);
  });

  it('keep observedAt as an object when a value would not survive the unparsed copy', () => {
    const odd = summaryFactory({ app: 'a4', observedAt: { ...observed, pods: 'Thu, 26 Nov 2026' } });
    expect(JSON.parse(encodeRecord(odd))).toEqual(odd);
    expect(page([Buffer.from(encodeRecord(odd))], view(false))).toEqual([withStaleness(odd, view(false))]);
  });
});

describe('pageBody', () => {
  it.each([false, true])('serves each record as the summary with its stale fields (stale: %s)', (stale) => {
    const records = summaries.map((s) => Buffer.from(encodeRecord(s)));
    expect(page(records, view(stale))).toEqual(summaries.map((s) => withStaleness(s, view(stale))));
  });

  it('serves records written with observedAt as an object (by versions before the array) alike', () => {
    const records = summaries.map((s) => Buffer.from(JSON.stringify(s)));
    expect(page(records, view(true))).toEqual(summaries.map((s) => withStaleness(s, view(true))));
  });

  it('skips records removed between the index read and the GET, and serves an empty page', () => {
    const [one, two] = summaries.map((s) => Buffer.from(encodeRecord(s)));
    const records = [Buffer.alloc(0), one, Buffer.alloc(0), two, Buffer.alloc(0)] as Buffer[];
    expect(page(records, view(false)).map((s) => s.app)).toEqual(['a1', 'a2']);
    expect(page([], view(false))).toEqual([]);
    expect(page([Buffer.alloc(0)], view(false))).toEqual([]);
  });

  it('serves pages larger than any before them and smaller ones after, from the same lent buffer', () => {
    const big = Array.from({ length: 400 }, (_, i) =>
      summaryFactory({ app: `app-${i}`, health: { status: 'Degraded', message: 'x'.repeat(1000) } }),
    );
    const small = page([Buffer.from(encodeRecord(summaries[0] as StoredSummary))], view(false));
    expect(
      page(
        big.map((s) => Buffer.from(encodeRecord(s))),
        view(false),
      ),
    ).toEqual(big.map((s) => withStaleness(s, view(false))));
    expect(small.map((s) => s.app)).toEqual(['a1']);
    // Written over the big page's bytes: only the small page's own are served.
    expect(
      page([Buffer.from(encodeRecord(summaries[1] as StoredSummary))], view(false)).map((s) => s.app),
    ).toEqual(['a2']);
  });

  it('asks for enough room for the page and returns a view of the lent buffer, not a copy', () => {
    const records = summaries.map((s) => Buffer.from(encodeRecord(s)));
    const asked: number[] = [];
    const lent = Buffer.alloc(64 * 1024);
    const body = pageBody('{"items":[', records, staleSuffix(view(true)), ']}', (bytes) => {
      asked.push(bytes);
      return lent;
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBeGreaterThanOrEqual(body.length);
    expect(body.buffer).toBe(lent.buffer);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      items: summaries.map((s) => withStaleness(s, view(true))),
    });
  });
});

describe('a one-environment app stores its parts once (SUMMARY_SHARED_PARTS)', () => {
  const SHARED = { sharedParts: true };
  const parts = {
    deploy: {
      taskId: 'cd-a5-x1',
      phase: 'Succeeded' as const,
      revision: '67a7a1ff55de121891b36c2de10db1a6750f5363',
      image: 'registry.example/payments/a5:1.2.3',
      finishedAt: '2026-11-22T22:51:38Z',
    },
    sync: {
      status: 'Synced',
      revision: '67a7a1ff55de121891b36c2de10db1a6750f5363',
      operation: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: '2026-11-22T23:20:53Z',
        finishedAt: '2026-11-22T23:21:13Z',
      },
    },
    health: { status: 'Degraded', message: 'Back-off «restarting» — 🚑' },
    images: ['registry.example/payments/a5:1.2.3'],
    pods: { ready: 0, total: 2, restarts: 7 },
    rollout: { desired: 2, updated: 2, ready: 0, available: 0, inProgress: true, stalled: false },
  };
  // Text outside ASCII before the parts: the stored range is in bytes, not characters.
  const one = summaryFactory({
    app: 'a5',
    template: 'gö-sérvice',
    lastWarning: { reason: 'BackOff', message: 'redémarrage «en boucle» 🚑', at: '2026-11-26T15:01:02Z' },
    ...parts,
    environments: {
      dev: environmentFactory('a5', 'dev', { ...parts, lastActivityAt: '2026-11-22T23:21:13Z' }),
    },
    observedAt: observed,
  });

  it('is shorter by about the parts, and reads back as the same summary and the same page item', () => {
    const stored = encodeRecord(one, SHARED);
    expect(stored).toContain(SHARED_PARTS_MARK);
    const partsLength = Object.values(parts).reduce((n, v) => n + JSON.stringify(v).length, 0);
    expect(stored.length).toBeLessThan(JSON.stringify(one).length - partsLength);
    expect(decodeRecord(stored)).toEqual(one);
    expect(page([Buffer.from(stored)], view(true))).toEqual([withStaleness(one, view(true))]);
  });

  it('is not used when the environment differs from the app in any part, or there are two', () => {
    const differs = {
      ...one,
      environments: {
        dev: { ...(one.environments?.dev as EnvironmentSummary), pods: { ready: 1, total: 2, restarts: 7 } },
      },
    };
    const two = {
      ...one,
      environments: { ...one.environments, prod: environmentFactory('a5', 'prod', parts) },
    };
    for (const summary of [differs, two]) {
      expect(encodeRecord(summary, SHARED)).not.toContain(SHARED_PARTS_MARK);
      expect(decodeRecord(encodeRecord(summary, SHARED))).toEqual(summary);
    }
  });

  it('is written only when asked: replicas of older versions serve records as stored', () => {
    expect(encodeRecord(one)).not.toContain(SHARED_PARTS_MARK);
    expect(decodeRecord(encodeRecord(one))).toEqual(one);
  });

  it("is not confused by the mark's text inside a value", () => {
    const health = { status: 'Degraded', message: `probe said ,"@parts":[1,2] and ${SHARED_PARTS_MARK}3,4]` };
    const own = { ...parts, health };
    const odd = { ...one, health, environments: { dev: environmentFactory('a5', 'dev', own) } };
    for (const form of [SHARED, { sharedParts: false }]) {
      const stored = encodeRecord(odd, form);
      expect(decodeRecord(stored)).toEqual(odd);
      expect(page([Buffer.from(stored)], view(false))).toEqual([withStaleness(odd, view(false))]);
    }
  });

  it('reads back any summary as it was written, in pages and alone (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const time = fc.option(
      fc.constantFrom('2026-11-22T22:51:38Z', '2026-12-06T10:00:00.123Z', 'Thu, 26 Nov'),
    );
    const health = fc.record({
      status: fc.constantFrom('Healthy', 'Degraded', 'Unknown'),
      message: fc.option(text),
    });
    const pods = fc.record({ ready: fc.nat(5), total: fc.nat(5), restarts: fc.nat(99) });
    const images = fc.array(text, { maxLength: 2 });
    const summary = fc
      .record({
        template: fc.option(text),
        health,
        pods,
        images,
        warning: fc.option(text),
        at: time,
        dev: fc.boolean(),
        prod: fc.boolean(),
        same: fc.boolean(),
      })
      .map(({ template, health: h, pods: p, images: i, warning, at, dev, prod, same }) => {
        const own = { health: h, pods: p, images: i };
        const environments: Record<string, EnvironmentSummary> = {};
        if (dev)
          environments.dev = environmentFactory(
            'a6',
            'dev',
            same ? own : { health: { status: 'Healthy', message: null } },
          );
        if (prod) environments.prod = environmentFactory('a6', 'prod', own);
        return summaryFactory({
          app: 'a6',
          template,
          ...own,
          rollout: null,
          lastWarning: warning === null ? null : { reason: 'BackOff', message: warning, at },
          environments,
          observedAt: { ...observed, pods: at, app: at },
        });
      });
    let shared = 0;
    fc.assert(
      fc.property(summary, (s) => {
        const stored = encodeRecord(s, SHARED);
        if (stored.includes(SHARED_PARTS_MARK)) shared += 1;
        expect(decodeRecord(stored)).toEqual(s);
        expect(page([Buffer.from(stored), Buffer.from(stored)], view(false))).toEqual([
          withStaleness(s, view(false)),
          withStaleness(s, view(false)),
        ]);
      }),
      { numRuns: 300 },
    );
    // The draws stored some summaries in each form.
    expect(shared).toBeGreaterThan(0);
    expect(shared).toBeLessThan(300);
  });
});
