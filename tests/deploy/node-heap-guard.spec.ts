import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './rendered';

const GUARD = path.join(REPO_ROOT, 'deploy', 'image', 'node-heap-guard.sh');
const MIB = 2 ** 20;
/** What the started process reports: V8's heap ceiling and its own argv flags. */
const PROBE =
  'console.log(JSON.stringify({limit: require("v8").getHeapStatistics().heap_size_limit, flags: process.execArgv.filter((a) => a.startsWith("--"))}))';

interface Probe {
  limit: number;
  flags: string[];
}

/** Runs the guard (with the real node on PATH) as the image would, against a fake cgroup folder. */
function startThroughGuard(files: Record<string, string>, env: Record<string, string> = {}): Probe {
  const cgroup = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(cgroup, name)), { recursive: true });
      fs.writeFileSync(path.join(cgroup, name), `${content}\n`);
    }
    const output = execFileSync(GUARD, ['-e', PROBE], {
      encoding: 'utf8',
      env: {
        PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
        NODE_HEAP_GUARD_CGROUP: cgroup,
        ...env,
      },
    });
    return JSON.parse(output) as Probe;
  } finally {
    fs.rmSync(cgroup, { recursive: true, force: true });
  }
}

describe('deploy/image/node-heap-guard.sh', () => {
  it('gives V8 an old space of 60 % and semi-spaces of 1/64 of a cgroup v2 limit, so its whole heap stays below the limit', () => {
    const probe = startThroughGuard({ 'memory.max': String(256 * MIB) });
    expect(probe.flags).toEqual(['--max-old-space-size=153', '--max-semi-space-size=4']);
    expect(probe.limit).toBeLessThan(256 * MIB);
  });

  it('reads a cgroup v1 limit the same way', () => {
    const probe = startThroughGuard({ 'memory/memory.limit_in_bytes': String(512 * MIB) });
    expect(probe.flags).toEqual(['--max-old-space-size=307', '--max-semi-space-size=8']);
  });

  it('takes another share from NODE_HEAP_PERCENT', () => {
    const probe = startThroughGuard({ 'memory.max': String(512 * MIB) }, { NODE_HEAP_PERCENT: '50' });
    expect(probe.flags).toEqual(['--max-old-space-size=256', '--max-semi-space-size=8']);
  });

  it('adds nothing without a limit (cgroup v2 "max", cgroup v1 unlimited, no cgroup files)', () => {
    expect(startThroughGuard({ 'memory.max': 'max' }).flags).toEqual([]);
    expect(startThroughGuard({ 'memory/memory.limit_in_bytes': '9223372036854771712' }).flags).toEqual([]);
    expect(startThroughGuard({}).flags).toEqual([]);
  });

  it('keeps the semi-spaces between 1 and 16 MiB', () => {
    expect(startThroughGuard({ 'memory.max': String(32 * MIB) }).flags).toEqual([
      '--max-old-space-size=19',
      '--max-semi-space-size=1',
    ]);
    expect(startThroughGuard({ 'memory.max': String(4096 * MIB) }).flags).toEqual([
      '--max-old-space-size=2457',
      '--max-semi-space-size=16',
    ]);
  });

  it('leaves a ceiling set in NODE_OPTIONS alone', () => {
    const probe = startThroughGuard(
      { 'memory.max': String(256 * MIB) },
      { NODE_OPTIONS: '--max-old-space-size=100' },
    );
    expect(probe.flags).toEqual([]);
    expect(probe.limit).toBeLessThan(160 * MIB);
  });

  it('refuses a NODE_HEAP_PERCENT that is not a whole number, saying so', () => {
    expect(() =>
      startThroughGuard({ 'memory.max': String(256 * MIB) }, { NODE_HEAP_PERCENT: 'sixty' }),
    ).toThrow(/NODE_HEAP_PERCENT must be a whole number/);
  });
});
