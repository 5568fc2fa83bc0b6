import { StringDecoder } from 'node:string_decoder';
import type { StreamMessage } from './stream-message';

/** A line that is neither a frame nor JSON: the body is not what grpc-gateway writes. */
export class StreamProtocolError extends Error {
  constructor(
    readonly line: string,
    options?: { cause?: unknown },
  ) {
    super(`unexpected stream line: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`, options);
    this.name = 'StreamProtocolError';
  }
}

/**
 * Parses the bodies grpc-gateway streams, whichever mode the server chose:
 * - SSE (`Accept: text/event-stream`): `data: <json> \n\n\n` — note the space before the newline
 *   and the extra blank line — and the keepalive `:\n` with no blank line after it;
 * - JSON lines (any other Accept, or a server that ignored it): `<json>\n`.
 * Parsing is line by line because the keepalive breaks SSE's blank-line framing; chunks may be
 * split at any byte, including inside a UTF-8 sequence.
 */
export class GrpcGatewayStreamParser<T> {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** Feeds a chunk and returns the messages completed by it. */
  push(chunk: Buffer | string): Array<StreamMessage<T>> {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const messages: Array<StreamMessage<T>> = [];
    let newline = this.pending.indexOf('\n');
    while (newline !== -1) {
      const line = this.pending.slice(0, newline).replace(/\r$/, '');
      this.pending = this.pending.slice(newline + 1);
      const message = parseLine<T>(line);
      if (message !== undefined) messages.push(message);
      newline = this.pending.indexOf('\n');
    }
    return messages;
  }

  /** The body ended: a last line without a newline is still a message. */
  end(): Array<StreamMessage<T>> {
    const rest = (this.pending + this.decoder.end()).replace(/\r$/, '');
    this.pending = '';
    const message = rest === '' ? undefined : parseLine<T>(rest);
    return message === undefined ? [] : [message];
  }
}

function parseLine<T>(line: string): StreamMessage<T> | undefined {
  if (line.trim() === '') return undefined;
  if (line.startsWith(':')) return { kind: 'keepalive' };
  if (line.startsWith('data:')) return parsePayload<T>(line.slice(5).trim(), line);
  if (/^(event|id|retry):/.test(line)) return undefined;
  return parsePayload<T>(line.trim(), line);
}

function parsePayload<T>(json: string, line: string): StreamMessage<T> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new StreamProtocolError(line, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StreamProtocolError(line);
  const record = value as Record<string, unknown>;
  if ('result' in record) return { kind: 'result', result: record.result as T };
  // Argo CD's unary error body also has an `error` key, but a string: that is not a stream frame.
  if (typeof record.error === 'object' && record.error !== null) {
    return { kind: 'error', error: record.error };
  }
  if (Object.keys(record).length === 0) return { kind: 'empty' };
  throw new StreamProtocolError(line);
}
