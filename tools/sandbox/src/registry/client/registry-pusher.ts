import type { SandboxContext } from '../../core/sandbox-context';
import type { ImageContent } from '../image-content';
import type { RegistryCredential } from './docker-config';
import { registryExchange, type RegistryResponse } from './registry-connection';

/**
 * go-containerregistry's `transport.Error`: `<METHOD> <url>: <CODE>: <message>[; <detail>]` for
 * a registry error body, else `unexpected status code <n> <text>`.
 */
export class TransportError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    body: Buffer,
  ) {
    super(`${method} ${url}: ${responseError(method, status, body)}`);
    this.name = 'TransportError';
  }
}

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function responseError(method: string, status: number, body: Buffer): string {
  const text = `unexpected status code ${status} ${STATUS_TEXT[status] ?? ''}`.trimEnd();
  let errors: Array<{ code?: string; message?: string; detail?: unknown }> = [];
  try {
    errors = (JSON.parse(body.toString('utf8')) as { errors?: typeof errors }).errors ?? [];
  } catch {
    // not a registry error body
  }
  const diagnostic = (e: (typeof errors)[number]): string =>
    `${e.code ?? ''}: ${e.message ?? ''}${e.detail === undefined ? '' : `; ${goValue(e.detail)}`}`;
  if (errors.length === 1 && errors[0] !== undefined) return diagnostic(errors[0]);
  if (errors.length > 1) return `multiple errors returned: ${errors.map(diagnostic).join('; ')}`;
  if (body.length > 0) return `${text}: ${body.toString('utf8')}`;
  return method === 'HEAD' ? `${text} (HEAD responses have no body, use GET for details)` : text;
}

/** Go's `%v` of a JSON value, as the detail of a diagnostic prints. */
function goValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  return `map[${Object.entries(value)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${goValue(v)}`)
    .join(' ')}]`;
}

/**
 * A push session as go-containerregistry (kaniko's and BuildKit's registry client) runs it:
 * ping `/v2/`, follow a Bearer challenge to the token service with the credential (basic auth)
 * for `repository:<name>:push,pull`, then send every request with the token, fetching a new one
 * once when the registry answers 401.
 */
export class RegistryPusher {
  private token: string | undefined;
  private challenge: Record<string, string> | undefined;

  private constructor(
    private readonly ctx: SandboxContext,
    private readonly base: string,
    private readonly repository: string,
    private readonly credential: RegistryCredential | undefined,
  ) {}

  /** Pings the registry and authenticates as the transport does before its first call. */
  static async open(
    ctx: SandboxContext,
    host: string,
    repository: string,
    credential: RegistryCredential | undefined,
  ): Promise<RegistryPusher> {
    const pusher = new RegistryPusher(ctx, `http://${host}`, repository, credential);
    const ping = await pusher.send('GET', '/v2/', {}, undefined, false);
    if (ping.status !== 200 && ping.status !== 401) {
      throw new TransportError('GET', `${pusher.base}/v2/`, ping.status, ping.body);
    }
    if (ping.status === 401) {
      pusher.challenge = parseChallenge(header(ping, 'www-authenticate'));
      if (pusher.challenge.scheme === 'bearer') await pusher.refresh();
    }
    return pusher;
  }

  /** kaniko's push permission check: start an upload, then cancel it. */
  async checkPushPermission(): Promise<void> {
    const started = await this.call(
      'POST',
      `/v2/${this.repository}/blobs/uploads/`,
      {},
      undefined,
      [201, 202],
    );
    const location = header(started, 'location');
    if (location !== '') void this.send('DELETE', location, {}, undefined, true).catch(() => undefined);
  }

  /** Uploads the blobs the registry lacks, then the manifest under `tag`. */
  async push(image: ImageContent, tag: string): Promise<void> {
    for (const blob of [...image.layers, image.config]) {
      const head = await this.send(
        'HEAD',
        `/v2/${this.repository}/blobs/${blob.digest}`,
        {},
        undefined,
        true,
      );
      if (head.status === 200) continue;
      const started = await this.call('POST', `/v2/${this.repository}/blobs/uploads/`, {}, undefined, [202]);
      const patched = await this.call(
        'PATCH',
        header(started, 'location'),
        { 'content-type': 'application/octet-stream' },
        blob.bytes,
        [202],
      );
      const location = new URL(header(patched, 'location'), this.base);
      location.searchParams.set('digest', blob.digest);
      await this.call('PUT', location.toString(), {}, undefined, [201]);
    }
    await this.call(
      'PUT',
      `/v2/${this.repository}/manifests/${tag}`,
      { 'content-type': image.manifest.mediaType },
      image.manifest.bytes,
      [200, 201],
    );
  }

  private async call(
    method: string,
    target: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    expected: number[],
  ): Promise<RegistryResponse> {
    const res = await this.send(method, target, headers, body, true);
    if (!expected.includes(res.status)) {
      throw new TransportError(method, new URL(target, this.base).toString(), res.status, res.body);
    }
    return res;
  }

  private async send(
    method: string,
    target: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    authenticated: boolean,
  ): Promise<RegistryResponse> {
    const url = new URL(target, this.base);
    const once = (): Promise<RegistryResponse> =>
      registryExchange(this.ctx, url, {
        method,
        headers: { ...headers, ...this.authorization(authenticated) },
        body,
      });
    const res = await once();
    if (res.status === 401 && authenticated && this.challenge?.scheme === 'bearer') {
      await this.refresh();
      return once();
    }
    return res;
  }

  private authorization(authenticated: boolean): Record<string, string> {
    if (!authenticated || this.challenge === undefined) return {};
    if (this.challenge.scheme === 'bearer') {
      return this.token === undefined ? {} : { authorization: `Bearer ${this.token}` };
    }
    return this.credential === undefined ? {} : { authorization: basic(this.credential) };
  }

  private async refresh(): Promise<void> {
    const realm = new URL(this.challenge?.realm ?? '/', this.base);
    realm.searchParams.set('scope', `repository:${this.repository}:push,pull`);
    realm.searchParams.set('service', this.challenge?.service ?? '');
    const res = await registryExchange(this.ctx, realm, {
      method: 'GET',
      headers: this.credential === undefined ? {} : { authorization: basic(this.credential) },
    });
    if (res.status !== 200) throw new TransportError('GET', realm.toString(), res.status, res.body);
    const answer = JSON.parse(res.body.toString('utf8')) as { token?: string; access_token?: string };
    this.token = answer.access_token || answer.token;
  }
}

function basic(credential: RegistryCredential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

function header(res: RegistryResponse, name: string): string {
  const value = res.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** `Bearer realm="...",service="..."` → `{scheme: 'bearer', realm, service}`. */
export function parseChallenge(text: string): Record<string, string> {
  const space = text.indexOf(' ');
  const scheme = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const params: Record<string, string> = { scheme };
  for (const m of text.slice(space + 1).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) {
    if (m[1] !== undefined) params[m[1].toLowerCase()] = m[2] ?? '';
  }
  return params;
}
