import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { containerOf, REPO_ROOT, renderDir } from './rendered';
import { SERVICES } from './services';

/**
 * The peaks the benchmarks measured last (bench/src/lib/pod-memory.ts writes them): each pod's
 * memory limit must hold its service's recorded peak plus 30 %, in every kustomization the
 * record names. A figure, not a timing: the test reads what a benchmark run recorded.
 */
const RECORD_FILE = path.join(REPO_ROOT, 'bench', 'results', 'memory.json');
const HEADROOM = 0.3;
const KUSTOMIZATIONS = ['base', 'overlays/dev', 'overlays/prod'];

interface MemoryRecord {
  service: string;
  scenario: string;
  peakRssMiB: number;
  mustFit: string[];
  benchmark: string;
  measuredAt: string;
}

const records = Object.entries(
  JSON.parse(fs.readFileSync(RECORD_FILE, 'utf8')) as Record<string, MemoryRecord>,
);

function limitMiB(dir: string, service: string): number {
  const objects = renderDir(dir);
  const platformService = SERVICES.find((s) => s.name === service);
  if (platformService === undefined) throw new Error(`no platform service ${service}`);
  const limit = containerOf(objects, platformService).resources?.limits?.memory;
  return quantityMiB(limit);
}

function quantityMiB(quantity: unknown): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(String(quantity));
  if (match === null) throw new Error(`memory limit "${String(quantity)}": write it in Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

/** The kustomizations where a record's peak plus 30 % does not fit the pod's limit. */
function shortfalls(record: MemoryRecord): Array<{ dir: string; limitMiB: number; neededMiB: number }> {
  return record.mustFit
    .map((dir) => ({
      dir,
      limitMiB: limitMiB(dir, record.service),
      neededMiB: Math.ceil(record.peakRssMiB * (1 + HEADROOM)),
    }))
    .filter(({ limitMiB: limit, neededMiB }) => limit < neededMiB);
}

describe('memory limits against the recorded benchmark peaks', () => {
  it.each(SERVICES.map((s) => s.name))(
    '%s has a recorded peak held against every kustomization',
    (service) => {
      const held = new Set(records.filter(([, r]) => r.service === service).flatMap(([, r]) => r.mustFit));
      expect([...held].sort()).toEqual(expect.arrayContaining(KUSTOMIZATIONS));
    },
  );

  it.each(records)('%s fits its pods with 30 %% headroom', (_key, record) => {
    expect(shortfalls(record)).toEqual([]);
  });

  it('catches a limit below the peak plus 30 %', () => {
    const limit = limitMiB('base', 'summary');
    const peak = Math.floor(limit / (1 + HEADROOM)) + 1;
    const record = { service: 'summary', scenario: 'just too big', peakRssMiB: peak, mustFit: ['base'] };
    expect(shortfalls({ ...record, benchmark: 'none', measuredAt: 'never' })).toEqual([
      { dir: 'base', limitMiB: limit, neededMiB: Math.ceil(peak * (1 + HEADROOM)) },
    ]);
  });
});
