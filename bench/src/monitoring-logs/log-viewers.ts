import http from 'node:http';
import { onRecords } from '../lib/split-stream';
import { parseWritten, type ViewedLine } from './log-protocol';

/** What one viewer received of one pod's lines: how often each seq came. */
type SeqCounts = Map<number, number>;

/**
 * SSE viewers of merged logs on their own sockets: each counts, per pod, every line it got (in its
 * snapshot or live) by its seq, and the delay of live lines since they were written.
 */
export class LogViewers {
  latenciesMs: number[] = [];
  private readonly viewers: Array<Map<string, SeqCounts>> = [];
  private readonly requests: http.ClientRequest[] = [];
  snapshots = 0;

  get count(): number {
    return this.viewers.length;
  }

  /** Opens one viewer per url; resolves once each has its response headers. */
  async open(urls: string[]): Promise<void> {
    await Promise.all(urls.map((url) => this.openOne(url)));
  }

  private openOne(url: string): Promise<void> {
    const seen = new Map<string, SeqCounts>();
    this.viewers.push(seen);
    const count = (line: ViewedLine, live: boolean): void => {
      const written = parseWritten(line.line);
      if (written === undefined) return;
      let counts = seen.get(line.pod);
      if (counts === undefined) seen.set(line.pod, (counts = new Map<number, number>()));
      counts.set(written.seq, (counts.get(written.seq) ?? 0) + 1);
      if (live) this.latenciesMs.push(Date.now() - written.sentAt);
    };
    return new Promise((resolve, reject) => {
      const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode ?? '?'}`));
        resolve();
        onRecords(res, '\n\n', (frame) => {
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (data === undefined) return;
          if (frame.startsWith('event: log')) count(JSON.parse(data) as ViewedLine, true);
          else if (frame.startsWith('event: snapshot')) {
            this.snapshots += 1;
            for (const line of (JSON.parse(data) as { lines: ViewedLine[] }).lines) count(line, false);
          }
        });
      });
      req.on('error', reject);
      this.requests.push(req);
    });
  }

  /**
   * Lines written in [from, to) per pod (seqs) that some viewer never got, and extra copies
   * viewers got of them, over all viewers.
   */
  audit(
    pods: string[],
    from: number[],
    to: number[],
  ): { expected: number; lost: number; duplicated: number } {
    let expected = 0;
    let lost = 0;
    let duplicated = 0;
    for (const seen of this.viewers) {
      pods.forEach((pod, i) => {
        const counts = seen.get(pod);
        for (let seq = from[i] ?? 0; seq < (to[i] ?? 0); seq += 1) {
          expected += 1;
          const got = counts?.get(seq) ?? 0;
          if (got === 0) lost += 1;
          else duplicated += got - 1;
        }
      });
    }
    return { expected, lost, duplicated };
  }

  resetLatencies(): void {
    this.latenciesMs = [];
  }

  close(): void {
    for (const req of this.requests.splice(0)) req.destroy();
  }
}
