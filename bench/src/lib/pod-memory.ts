import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The services `deploy/` ships, by their Deployment (and container) name. */
export type PlatformServiceName = 'task' | 'monitoring' | 'summary';

/** The kustomizations a benchmark's figure is held against, as directories under `deploy/`. */
export type DeployDir = 'base' | 'overlays/dev' | 'overlays/prod';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Where the last run's peaks are kept; tests/deploy/memory-limits.spec.ts reads it. */
export const MEMORY_RECORD_FILE = path.join(REPO_ROOT, 'bench', 'results', 'memory.json');
/** A limit must leave this much above a measured peak: GC timing, fragmentation, a busier day. */
export const HEADROOM = 0.3;

const MIB = 2 ** 20;

interface PodResources {
  requestBytes: number | undefined;
  limitBytes: number | undefined;
}

const rendered = new Map<DeployDir, Map<string, PodResources>>();

/**
 * A service container's memory request and limit as the cluster gets them: rendered by the real
 * `kubectl kustomize` (KUBECTL names another binary), so overlays' patches count.
 */
export function podMemory(service: PlatformServiceName, dir: DeployDir): PodResources {
  let containers = rendered.get(dir);
  if (containers === undefined) {
    containers = renderContainers(dir);
    rendered.set(dir, containers);
  }
  const found = containers.get(service);
  if (found === undefined) throw new Error(`deploy/${dir} renders no Deployment ${service}`);
  return found;
}

function renderContainers(dir: DeployDir): Map<string, PodResources> {
  const yaml = execFileSync(
    process.env.KUBECTL ?? 'kubectl',
    ['kustomize', path.join(REPO_ROOT, 'deploy', dir)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * MIB,
    },
  );
  const out = new Map<string, PodResources>();
  for (const doc of parseAllDocuments(yaml)) {
    const object = doc.toJS() as Deployment | null;
    if (object?.kind !== 'Deployment') continue;
    for (const container of object.spec?.template?.spec?.containers ?? []) {
      const memory = container.resources;
      out.set(container.name, {
        requestBytes: quantityBytes(memory?.requests?.memory),
        limitBytes: quantityBytes(memory?.limits?.memory),
      });
    }
  }
  return out;
}

interface Deployment {
  kind?: string;
  spec?: {
    template?: {
      spec?: {
        containers?: Array<{
          name: string;
          resources?: { requests?: { memory?: string }; limits?: { memory?: string } };
        }>;
      };
    };
  };
}

const SUFFIXES: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
};

/** A Kubernetes memory quantity (`256Mi`, `1G`, `268435456`) in bytes. */
export function quantityBytes(quantity: string | number | undefined): number | undefined {
  if (quantity === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)([kMG]i?|Ki)?$/.exec(String(quantity));
  const factor = SUFFIXES[match?.[2] ?? ''];
  if (match === null || factor === undefined) throw new Error(`unsupported memory quantity "${quantity}"`);
  return Math.round(Number(match[1]) * factor);
}

/** A process's resident memory now and its peak since it started (the kernel's VmHWM), in bytes. */
export function processMemory(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (match === null) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/**
 * Starts a process's peak RSS (VmHWM) over from its resident memory now, so that the peak of
 * what a benchmark does next is told apart from the process's start (loading its modules can
 * peak higher than anything it does later).
 */
export function resetPeak(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
 * The columns every benchmark prints for a service's memory: its peak RSS against the limit each
 * kustomization gives its pod, and whether the limit leaves {@link HEADROOM} above the peak.
 */
export function fitColumns(
  service: PlatformServiceName,
  peakBytes: number,
  dirs: readonly DeployDir[],
): Record<string, string> {
  const columns: Record<string, string> = { 'peak RSS MiB': String(Math.ceil(peakBytes / MIB)) };
  for (const dir of dirs) {
    const limit = podMemory(service, dir).limitBytes;
    const name = dir.replace('overlays/', '');
    columns[`${name} limit MiB`] = limit === undefined ? 'none' : (limit / MIB).toFixed(0);
    columns[`peak / ${name} limit`] =
      limit === undefined
        ? '-'
        : `${Math.round((peakBytes / limit) * 100)} %${fits(peakBytes, limit) ? '' : ' (too small)'}`;
  }
  return columns;
}

export function fits(peakBytes: number, limitBytes: number): boolean {
  return limitBytes >= peakBytes * (1 + HEADROOM);
}

/** The share of the container limit deploy/image/node-heap-guard.sh gives V8's old space. */
const HEAP_PERCENT = 60;

/**
 * The environment that makes a service started by a benchmark size its heap as it would in its
 * pod: the heap guard's `--max-old-space-size` for the limit `dir` gives it (NODE_OPTIONS, which
 * the guard itself leaves alone).
 */
export function heapGuardEnv(service: PlatformServiceName, dir: DeployDir): Record<string, string> {
  const flags = heapGuardFlags(service, dir);
  return flags.length === 0 ? {} : { NODE_OPTIONS: flags.join(' ') };
}

/** The flags deploy/image/node-heap-guard.sh starts node with under the limit `dir` gives the pod. */
export function heapGuardFlags(service: PlatformServiceName, dir: DeployDir): string[] {
  const limit = podMemory(service, dir).limitBytes;
  if (limit === undefined) return [];
  const limitMiB = Math.floor(limit / MIB);
  const semiMiB = Math.min(16, Math.max(1, Math.floor(limitMiB / 64)));
  return [
    `--max-old-space-size=${Math.floor((limitMiB * HEAP_PERCENT) / 100)}`,
    `--max-semi-space-size=${semiMiB}`,
  ];
}

/** One scenario's measured peak, as the benchmark that measured it recorded it. */
export interface MemoryRecord {
  service: PlatformServiceName;
  /** What ran, e.g. `summary leader, 10,000 apps, resync and list loads`. */
  scenario: string;
  peakRssMiB: number;
  /** The kustomizations whose limit must hold this peak plus {@link HEADROOM}. */
  mustFit: DeployDir[];
  benchmark: string;
  measuredAt: string;
  node: string;
}

/**
 * Keeps a scenario's peak in {@link MEMORY_RECORD_FILE} (replacing that scenario's last figure),
 * so that the test run can hold deploy/'s limits against it without running a benchmark.
 */
export function recordPeak(key: string, record: Omit<MemoryRecord, 'measuredAt' | 'node'>): void {
  const all = readMemoryRecords();
  all[key] = { ...record, measuredAt: new Date().toISOString().slice(0, 10), node: process.version };
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  fs.mkdirSync(path.dirname(MEMORY_RECORD_FILE), { recursive: true });
  fs.writeFileSync(MEMORY_RECORD_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}

export function readMemoryRecords(): Record<string, MemoryRecord> {
  if (!fs.existsSync(MEMORY_RECORD_FILE)) return {};
  return JSON.parse(fs.readFileSync(MEMORY_RECORD_FILE, 'utf8')) as Record<string, MemoryRecord>;
}

/**
 * Samples a process's memory every `everyMs` until stopped: the kernel's VmHWM is the true peak,
 * the samples say when it happened. Stops by itself when the process is gone.
 */
export function watchPeak(pid: number, everyMs = 200): { peakBytes(): number; stop(): number } {
  let peak = 0;
  const sample = (): void => {
    try {
      peak = Math.max(peak, processMemory(pid).peakRssBytes);
    } catch {
      clearInterval(timer);
    }
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  sample();
  return {
    peakBytes: () => {
      sample();
      return peak;
    },
    stop: () => {
      sample();
      clearInterval(timer);
      return peak;
    },
  };
}
