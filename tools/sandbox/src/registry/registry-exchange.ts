import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegistryStorage } from './registry-storage';

/** One request to the registry, with what every handler needs. */
export interface RegistryExchange {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  query: URLSearchParams;
  storage: RegistryStorage;
  /**
   * `scheme://host` as the client addressed the registry: distribution builds its Location URLs
   * from the request's Host (and X-Forwarded-Proto/-Host) unless configured otherwise.
   */
  origin: string;
}

export function originOf(req: IncomingMessage, defaultScheme: string): string {
  const forwardedProto = header(req, 'x-forwarded-proto');
  const forwardedHost = header(req, 'x-forwarded-host');
  const scheme = forwardedProto ?? defaultScheme;
  return `${scheme}://${forwardedHost ?? req.headers.host ?? 'localhost'}`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first.split(',')[0]?.trim();
}

/** Reads a body up to `limit` bytes; undefined when it is longer. */
export async function readBody(
  req: IncomingMessage,
  limit = Number.POSITIVE_INFINITY,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A response without a body, with `Content-Length: 0` as Go's server writes it. */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (status !== 204 && status !== 304) res.setHeader('Content-Length', '0');
  res.writeHead(status);
  res.end();
}

/** A JSON body as Go's `json.NewEncoder(w).Encode` writes it (with its trailing newline). */
export function sendGoJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = `${JSON.stringify(body)}\n`;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.writeHead(status);
  res.end(payload);
}
