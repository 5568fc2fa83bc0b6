import { Writable } from 'node:stream';

/** A log destination for tests: keeps every JSON line the service writes. */
export class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() !== '') this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    callback();
  }

  /** The lines whose `requestId` is `id`. */
  forRequest(id: string): Array<Record<string, unknown>> {
    return this.lines.filter((line) => line.requestId === id);
  }
}
