import { openSse, type RawSseResponse } from '@platform/service-runtime/testing';

/** One parsed Server-Sent Event. */
export interface SseEvent {
  event: string;
  id?: string;
  retry?: number;
  data: unknown;
}

/** Parses complete SSE events out of raw stream text (comments and partial events skipped). */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const blocks = text.split('\n\n');
  blocks.pop();
  for (const block of blocks) {
    const event: Partial<SseEvent> & { raw?: string } = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'retry') event.retry = Number(value);
      else if (field === 'data') event.raw = (event.raw === undefined ? '' : `${event.raw}\n`) + value;
    }
    if (event.event === undefined && event.raw === undefined) {
      if (event.retry !== undefined) events.push({ event: 'retry', retry: event.retry, data: null });
      continue;
    }
    events.push({
      event: event.event ?? 'message',
      id: event.id,
      retry: event.retry,
      data: event.raw === undefined ? null : (JSON.parse(event.raw) as unknown),
    });
  }
  return events;
}

/** A real SSE connection with its parsed events. */
export class SseClient {
  private constructor(readonly raw: RawSseResponse) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new SseClient(await openSse(url, headers));
  }

  get status(): number {
    return this.raw.status;
  }

  events(): SseEvent[] {
    return parseSse(this.raw.text()).filter((e) => e.event !== 'retry');
  }

  /** Waits until an event satisfies `predicate`; returns it. */
  async waitForEvent(predicate: (event: SseEvent) => boolean, timeoutMs = 20_000): Promise<SseEvent> {
    await this.raw.waitFor((text) => parseSse(text).some(predicate), timeoutMs);
    const found = this.events().find(predicate);
    if (found === undefined) throw new Error('event vanished');
    return found;
  }

  /** The last id received. */
  lastId(): string | undefined {
    return this.events()
      .map((e) => e.id)
      .filter((id): id is string => id !== undefined)
      .pop();
  }

  close(): void {
    this.raw.close();
  }
}
