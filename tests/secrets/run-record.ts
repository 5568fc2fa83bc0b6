import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Set by the repo's jest globalSetup: the folder this run's recordings go to. */
export const RUN_DIR_ENV = 'PLATFORM_TEST_RUN_DIR';

/** What one recording holds, written when it closes; the scan recounts the files against it. */
export interface RecordManifest {
  suite: string;
  logLines: number;
  bodies: number;
  secrets: number;
}

/** A secret the run used, named for the report (which never prints the value). */
export interface RunSecret {
  label: string;
  value: string;
}

/**
 * What one test file that starts the platform wrote and used: every log line (the services' pino
 * output, the sandbox's console and its pods' logs), every response body its clients read, and
 * every secret it configured or was issued. Jest runs test files in separate workers, so each one
 * writes files of its own into the run's folder, and the run's globalTeardown scans them all
 * (tests/secrets/global-teardown.ts). Without that folder a recording refuses to start, so a
 * suite cannot run unrecorded by mistake.
 */
export class RunRecord {
  private logLines = 0;
  private bodies = 0;
  private readonly secrets = new Map<string, RunSecret>();
  private readonly logFile: fs.WriteStream;
  private readonly bodyFile: fs.WriteStream;
  private readonly restoreConsole: () => void;

  private constructor(
    private readonly suite: string,
    private readonly stem: string,
  ) {
    this.logFile = fs.createWriteStream(`${stem}.logs.ndjson`);
    this.bodyFile = fs.createWriteStream(`${stem}.bodies.ndjson`);
    this.restoreConsole = this.captureConsole();
  }

  static open(suite: string): RunRecord {
    const dir = process.env[RUN_DIR_ENV];
    if (dir === undefined || !fs.existsSync(dir)) {
      throw new Error(
        `${RUN_DIR_ENV} names no folder: run the repo's suites with jest.repo.config.js, whose globalSetup creates it`,
      );
    }
    const stem = path.join(dir, `${suite}-${process.pid}-${randomBytes(4).toString('hex')}`);
    return new RunRecord(suite, stem);
  }

  /** A log destination for a service: each JSON line it writes is recorded under `source`. */
  logs(source: string): Writable {
    let partial = '';
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') this.line(source, line);
        done();
      },
      final: (done) => {
        if (partial.trim() !== '') this.line(source, partial);
        done();
      },
    });
  }

  line(source: string, text: string): void {
    this.logLines += 1;
    this.logFile.write(`${JSON.stringify({ source, text })}\n`);
  }

  body(source: string, headers: Record<string, string>, text: string): void {
    this.bodies += 1;
    this.bodyFile.write(`${JSON.stringify({ source, headers, text })}\n`);
  }

  secret(label: string, value: string | undefined): void {
    if (value === undefined || value === '') return;
    if (!this.secrets.has(value)) this.secrets.set(value, { label, value });
  }

  counts(): RecordManifest {
    return { suite: this.suite, logLines: this.logLines, bodies: this.bodies, secrets: this.secrets.size };
  }

  /** Flushes the files and writes the manifest: a recording without one is reported by the scan. */
  async close(): Promise<RecordManifest> {
    this.restoreConsole();
    this.logFile.end();
    this.bodyFile.end();
    await Promise.all([finished(this.logFile), finished(this.bodyFile)]);
    fs.writeFileSync(`${this.stem}.secrets.json`, JSON.stringify([...this.secrets.values()]));
    const manifest = this.counts();
    fs.writeFileSync(`${this.stem}.manifest.json`, JSON.stringify(manifest));
    return manifest;
  }

  /** The sandbox and the libraries print with console.*: those lines are recorded too (and still printed). */
  private captureConsole(): () => void {
    const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const originals = methods.map((name) => Reflect.get(console, name) as (...args: unknown[]) => void);
    methods.forEach((name, i) => {
      const original = originals[i] ?? console.log;
      console[name] = (...args: unknown[]): void => {
        this.line(
          `console.${name}`,
          args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '),
        );
        original.apply(console, args);
      };
    });
    return () =>
      methods.forEach((name, i) => {
        console[name] = originals[i] ?? console.log;
      });
  }
}
