import http from 'node:http';
import { onRecords } from '../lib/split-stream';
import { parseWritten, type ViewedLine } from './log-protocol';

/** The pod and the written line's numbers out of a `log` frame, without parsing all of its JSON. */
const LOG_FRAME = /"pod":"([^"]+)".*"line":"seq=(\d+) sentAt=(\d+)/;

/**
 * SSE viewers of merged logs on their own sockets: each counts, per pod, how often it got each
 * line (in its snapshot or live) by the line's seq, in a byte per seq, and while recording, the
 * delay of live lines since they were written. A hundred viewers of a thousand lines a second add
 * up: nothing per line is kept as an object.
 */
export class LogViewers {
  latenciesMs: number[] = [];
  snapshots = 0;
  /** Lines counted so far, over all viewers. */
  private delivered = 0;
  private recording = false;
  private readonly viewers: Array<Map<string, Uint8Array>> = [];
  private readonly requests: http.ClientRequest[] = [];

  get count(): number {
    return this.viewers.length;
  }

  /** Opens one viewer per url; resolves once each has its response headers. */
  async open(urls: string[]): Promise<void> {
    await Promise.all(urls.map((url) => this.openOne(url)));
  }

  /** Latencies are kept from now (cleared) until `stopRecording`. */
  startRecording(): void {
    this.latenciesMs = [];
    this.recording = true;
  }

  stopRecording(): void {
    this.recording = false;
  }

  private openOne(url: string): Promise<void> {
    const seen = new Map<string, Uint8Array>();
    this.viewers.push(seen);
    const count = (pod: string, seq: number): void => {
      let counts = seen.get(pod) ?? new Uint8Array(1024);
      if (seq >= counts.length) {
        const grown = new Uint8Array(Math.max(counts.length * 2, seq + 1));
        grown.set(counts);
        counts = grown;
      }
      seen.set(pod, counts);
      counts[seq] = Math.min(255, (counts[seq] ?? 0) + 1);
      this.delivered += 1;
    };
    return new Promise((resolve, reject) => {
      const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode ?? '?'}`));
        resolve();
        onRecords(res, '\n\n', (frame) => {
          if (frame.startsWith('event: log')) {
            const match = LOG_FRAME.exec(frame);
            if (match === null) return;
            count(match[1] ?? '', Number(match[2]));
            if (this.recording) this.latenciesMs.push(Date.now() - Number(match[3]));
          } else if (frame.startsWith('event: snapshot')) {
            this.snapshots += 1;
            const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '{"lines":[]}';
            for (const line of (JSON.parse(data) as { lines: ViewedLine[] }).lines) {
              const written = parseWritten(line.line);
              if (written !== undefined) count(line.pod, written.seq);
            }
          }
        });
      });
      req.on('error', reject);
      this.requests.push(req);
    });
  }

  /**
   * Resolves once lines have stopped coming for `quietMs` (or after `maxMs`): a line still on its
   * way when the writers stop is late, not lost, and its delay counts in the percentiles.
   */
  async settled(quietMs = 1000, maxMs = 60_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    let last = -1;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      if (this.delivered !== last) {
        last = this.delivered;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Over all viewers, the lines written in [from, to) per pod (seqs, pods in `pods` order): how
   * many each should have, how many some viewer never got, and the extra copies viewers got.
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
          const got = counts?.[seq] ?? 0;
          if (got === 0) lost += 1;
          else duplicated += got - 1;
        }
      });
    }
    return { expected, lost, duplicated };
  }

  close(): void {
    for (const req of this.requests.splice(0)) req.destroy();
  }
}
