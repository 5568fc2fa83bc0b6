import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isolatedGitEnv } from './git-command';

export interface CgiRequest {
  /** Folder holding the `<name>.git` repositories. */
  projectRoot: string;
  /** Path below the project root, e.g. `/app.git/info/refs`. */
  pathInfo: string;
  queryString: string;
  remoteUser?: string;
}

/**
 * Serves one smart-HTTP git request by running `git http-backend` as a CGI program, exactly as
 * Apache or nginx+fcgiwrap would: request metadata goes in environment variables, the body to
 * stdin, and the program's stdout is a CGI response (`Status:` and headers, a blank line, then
 * the body, streamed as git produces it).
 */
export function serveGitHttpBackend(req: IncomingMessage, res: ServerResponse, cgi: CgiRequest): void {
  const gzipped = /\bgzip\b/i.test(req.headers['content-encoding'] ?? '');
  const env = isolatedGitEnv({
    GIT_PROJECT_ROOT: cgi.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: cgi.pathInfo,
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: cgi.queryString,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    REMOTE_USER: cgi.remoteUser ?? 'sandbox',
    ...(req.headers['git-protocol'] !== undefined
      ? { GIT_PROTOCOL: String(req.headers['git-protocol']) }
      : {}),
    // A gzipped body is inflated here, so its length is unknown: without CONTENT_LENGTH
    // http-backend reads stdin to EOF. Chunked uploads (large pushes) take the same path.
    ...(!gzipped && req.headers['content-length'] !== undefined
      ? { CONTENT_LENGTH: req.headers['content-length'] }
      : {}),
  });
  const child = spawn('git', ['http-backend'], { env });
  const body: Readable = gzipped ? req.pipe(createGunzip()) : req;
  body.on('error', () => child.kill('SIGKILL'));
  body.pipe(child.stdin);
  child.stdin.on('error', () => undefined); // git may exit before reading everything (e.g. on a 404)

  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const parsed = parseCgiHead(head);
    if (parsed === undefined) return;
    headersSent = true;
    res.writeHead(parsed.status, parsed.headers);
    if (parsed.rest.length > 0) res.write(parsed.rest);
  });
  child.on('error', (error) => fail(`cannot run git http-backend: ${error.message}`));
  child.on('close', (code) => {
    if (headersSent) res.end();
    else
      fail(`git http-backend exited with code ${code ?? 'null'}: ${Buffer.concat(stderr).toString().trim()}`);
  });
  res.on('close', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  function fail(message: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    headersSent = true;
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${message}\n`);
  }
}

interface CgiHead {
  status: number;
  headers: Record<string, string>;
  rest: Buffer;
}

/** Splits a CGI response at its blank line; undefined until the whole head has arrived. */
export function parseCgiHead(buffer: Buffer): CgiHead | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  let end: number;
  let separator: number;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) {
    end = crlf;
    separator = 4;
  } else if (lf !== -1) {
    end = lf;
    separator = 2;
  } else {
    return undefined;
  }
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of buffer.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[key] = value;
  }
  return { status, headers, rest: buffer.subarray(end + separator) };
}
