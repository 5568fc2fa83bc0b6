import fs from 'node:fs';
import path from 'node:path';
import { RUN_DIR_ENV, type RecordManifest, type RunSecret } from './run-record';
import { MIN_SECRET_LENGTH, scanText, type Finding } from './secret-scan';

/**
 * Jest's globalTeardown for the repo's suites: the secrets scan. Every log line and response body
 * that the test files which started the platform recorded is searched for every secret they used.
 * It fails the run when one is found, when a recording is incomplete (files without a manifest, or
 * fewer lines than the manifest counted), or when the recordings hold nothing at all.
 */
export default function globalTeardown(): void {
  const dir = process.env[RUN_DIR_ENV];
  if (dir === undefined || !fs.existsSync(dir))
    throw new Error(`secrets scan: ${RUN_DIR_ENV} names no folder`);
  const result = scanRun(dir);
  if (result === undefined) {
    console.log('secrets scan: no suite of this run started the platform (nothing to scan)');
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  console.log(
    `secrets scan: ${result.logLines} log lines, ${result.bodies} bodies, ${result.secrets} secrets checked, ${result.findings.length} found` +
      ` (suites: ${result.suites.join(', ')})`,
  );
  const problems = [
    ...result.problems,
    ...result.findings.map(
      (f) => `${f.secret} (${f.form}) in ${path.basename(f.file)} line ${f.line}, from ${f.source}`,
    ),
  ];
  if (problems.length > 0) {
    throw new Error(`secrets scan failed (recordings kept in ${dir}):\n${problems.join('\n')}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface ScanResult {
  suites: string[];
  logLines: number;
  bodies: number;
  secrets: number;
  findings: Finding[];
  problems: string[];
}

/** Scans a run's folder; undefined when no suite recorded anything into it. */
export function scanRun(dir: string): ScanResult | undefined {
  const files = fs.readdirSync(dir);
  const stems = new Set(
    files.map((f) => f.replace(/\.(logs|bodies)\.ndjson$|\.(secrets|manifest)\.json$/, '')),
  );
  if (stems.size === 0) return undefined;
  const result: ScanResult = { suites: [], logLines: 0, bodies: 0, secrets: 0, findings: [], problems: [] };
  const secrets = new Map<string, RunSecret>();
  const recordings: Array<{ stem: string; manifest: RecordManifest }> = [];
  for (const stem of [...stems].sort()) {
    const manifestFile = path.join(dir, `${stem}.manifest.json`);
    if (!fs.existsSync(manifestFile)) {
      result.problems.push(
        `recording ${stem} has no manifest: its suite did not close it (crashed or forgot)`,
      );
      continue;
    }
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as RecordManifest;
    recordings.push({ stem, manifest });
    const own = JSON.parse(fs.readFileSync(path.join(dir, `${stem}.secrets.json`), 'utf8')) as RunSecret[];
    for (const secret of own) secrets.set(secret.value, secret);
  }
  const scannable = [...secrets.values()].filter((s) => s.value.length >= MIN_SECRET_LENGTH);
  result.secrets = scannable.length;
  // Every recording is scanned for every suite's secrets: a token of one suite must not show up in another's logs either.
  for (const { stem, manifest } of recordings) {
    result.suites.push(manifest.suite);
    const counted = { logs: 0, bodies: 0 };
    for (const kind of ['logs', 'bodies'] as const) {
      const file = path.join(dir, `${stem}.${kind}.ndjson`);
      const content = fs.readFileSync(file, 'utf8');
      counted[kind] = content === '' ? 0 : content.split('\n').length - 1;
      result.findings.push(...scanText(file, content, scannable));
    }
    if (counted.logs !== manifest.logLines || counted.bodies !== manifest.bodies) {
      result.problems.push(
        `recording ${stem} holds ${counted.logs} log lines and ${counted.bodies} bodies, its manifest counted ${manifest.logLines} and ${manifest.bodies}`,
      );
    }
    if (manifest.logLines === 0 || manifest.bodies === 0 || manifest.secrets === 0) {
      result.problems.push(
        `recording ${stem} (${manifest.suite}) is empty: ${manifest.logLines} log lines, ${manifest.bodies} bodies, ${manifest.secrets} secrets; a scan of it would prove nothing`,
      );
    }
    result.logLines += counted.logs;
    result.bodies += counted.bodies;
  }
  if (result.secrets === 0) result.problems.push('no secret long enough to scan for was recorded');
  return result;
}
