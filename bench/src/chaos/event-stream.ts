import type { Recorder } from './recorder';

export interface StreamEvent {
  event: string;
  id: string | undefined;
  data: unknown;
}

const DEFAULT_RETRY_MS = 3000;

/**
 * A browser's EventSource, reconnecting as one does: after a drop or a closing event it waits the
 * last `retry:` and reconnects with Last-Event-ID; a 204 stops it for good. An answer other than
 * 200 would stop a bare EventSource too; a portal then opens a new one, as this client does after
 * the retry delay. Every connection's status and every event are recorded and leak-scanned.
 */
export class EventStream {
  connects = 0;
  stoppedBy204 = false;
  private lastEventId: string | undefined;
  private retryMs = DEFAULT_RETRY_MS;
  private closed = false;
  private controller: AbortController | undefined;

  constructor(
    private readonly url: () => string,
    private readonly token: string,
    private readonly team: string,
    private readonly route: string,
    private readonly recorder: Recorder,
    private readonly onEvent: (event: StreamEvent) => Promise<void> | void,
  ) {}

  start(): void {
    void this.loop();
  }

  close(): void {
    this.closed = true;
    this.controller?.abort();
  }

  private async loop(): Promise<void> {
    while (!this.closed && !this.stoppedBy204) {
      await this.connect().catch(() => undefined);
      if (this.closed || this.stoppedBy204) return;
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }

  private async connect(): Promise<void> {
    this.controller = new AbortController();
    this.connects += 1;
    let res: Response;
    try {
      res = await fetch(this.url(), {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${this.token}`,
          ...(this.lastEventId === undefined ? {} : { 'last-event-id': this.lastEventId }),
        },
        signal: this.controller.signal,
      });
    } catch {
      if (!this.closed) this.recorder.unanswered(`GET ${this.route}`);
      return;
    }
    if (res.status !== 200) {
      const text = await res.text().catch(() => '');
      this.recorder.answered(`GET ${this.route}`, res.status, text);
      if (res.status === 204) this.stoppedBy204 = true;
      return;
    }
    this.recorder.answered(`GET ${this.route}`, 200, '');
    const body = res.body;
    if (body === null) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          await this.dispatch(block);
        }
      }
    } catch {
      // A drop: reconnect after the retry delay, as an EventSource does.
    }
  }

  private async dispatch(block: string): Promise<void> {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    if (id !== undefined) this.lastEventId = id;
    if (data.length === 0) return;
    const text = data.join('\n');
    this.recorder.scan(this.team, `event ${event} on ${this.route}`, text);
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    await this.onEvent({ event, id, data: parsed });
  }
}
