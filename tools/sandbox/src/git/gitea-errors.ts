import type { ServerResponse } from 'node:http';

/**
 * How Gitea writes an API answer (`services/context/base.go` JSON): `application/json;charset=utf-8`,
 * the JSON and a newline (Go's json.Encoder), and the `nosniff` header its router adds to every
 * API response.
 */
export function sendGiteaJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(payload);
}

/** `ctx.APIError`: `{"message","url"}`, the url being the instance's swagger page. */
export function sendApiError(res: ServerResponse, base: string, status: number, message: string): void {
  sendGiteaJson(res, status, { message, url: `${base}/api/swagger` });
}

/** `ctx.APIErrorNotFound(objs...)`: a message (default "not found") and the errors given, or null. */
export function sendApiNotFound(
  res: ServerResponse,
  base: string,
  message = 'not found',
  errors: string[] | null = null,
): void {
  sendGiteaJson(res, 404, { message, url: `${base}/api/swagger`, errors });
}

/** Go's http.Error: plain text and a newline (what Gitea's git routes answer). */
export function sendHttpError(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  const payload = `${text}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** ctx.PlainText (services/context/base.go): the text as it is, without a newline. */
export function sendPlainText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain;charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
