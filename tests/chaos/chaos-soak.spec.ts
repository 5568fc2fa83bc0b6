// The chaos soak's CI run (`npm run chaos -- --ci`: 60 s of load and faults, bench/src/chaos), with
// its targets as assertions: the run's own exit code says the same, these say which one was missed.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../deploy/rendered';

/** What bench/src/chaos/figures.ts writes; only the fields the targets read. */
interface Figures {
  unexpected5xx: unknown[];
  duplicates: number;
  lostAccepted: number;
  differingSummaries: string[];
  differingSseClients: unknown[];
  crashes: string[];
  leaks: unknown[];
  redisRestarts: number;
  leaderKills: number;
  accepted: number;
  comparedApps: number;
  seededApps: number;
  sseClients: number;
  leakChecks: number;
  pipelines: { built: number };
}

/** Startup (sandbox, services, one create per team) and the comparison come on top of the 60 s. */
const RUN_TIMEOUT_MS = 8 * 60_000;

function runSoak(jsonFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // Niced: it is the heaviest suite, and the machine's other work should not starve.
    const child = spawn('nice', ['-n', '10', 'npm', 'run', 'chaos', '--', '--ci', '--json', jsonFile], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the chaos soak, CI run (npm run chaos -- --ci)', () => {
  it(
    'meets every target: no 5xx but 502/503/504, no duplicate or lost workflow, summaries and streams agree with the truth, no restart, no leak',
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'chaos-soak-'));
      try {
        const jsonFile = path.join(dir, 'figures.json');
        const { code, output } = await runSoak(jsonFile);
        let figures: Figures;
        try {
          figures = JSON.parse(readFileSync(jsonFile, 'utf8')) as Figures;
        } catch {
          throw new Error(`the soak wrote no figures (exit code ${code}):\n${output.slice(-3000)}`);
        }
        // The run happened as planned: its faults, its load, its streams and checks.
        expect({ redisRestarts: figures.redisRestarts, leaderKills: figures.leaderKills }).toEqual({
          redisRestarts: 1,
          leaderKills: 1,
        });
        expect(figures.accepted).toBeGreaterThan(0);
        expect(figures.pipelines.built).toBeGreaterThan(0);
        expect(figures.comparedApps).toBeGreaterThanOrEqual(figures.seededApps);
        expect(figures.sseClients).toBeGreaterThan(0);
        expect(figures.leakChecks).toBeGreaterThan(0);
        // The targets.
        expect(figures.unexpected5xx).toEqual([]);
        expect({ duplicates: figures.duplicates, lostAccepted: figures.lostAccepted }).toEqual({
          duplicates: 0,
          lostAccepted: 0,
        });
        expect(figures.differingSummaries).toEqual([]);
        expect(figures.differingSseClients).toEqual([]);
        expect(figures.crashes).toEqual([]);
        expect(figures.leaks).toEqual([]);
        expect({ code, tail: code === 0 ? '' : output.slice(-3000) }).toEqual({ code: 0, tail: '' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    RUN_TIMEOUT_MS,
  );
});
