import { grpcCodeName } from '../../core/grpc-codes';

/** An Argo CD Application as JSON (only a few fields are read by the CLI emulation). */
export type Application = Record<string, unknown>;

/** What `ApplicationDeleteRequest` carries besides the name (unset fields are not sent). */
export interface DeleteOptions {
  appNamespace?: string;
  cascade?: boolean;
  propagationPolicy?: string;
}

/** An Argo CD API error, printed the way the CLI prints gRPC errors. */
export class ArgoCdApiError extends Error {
  constructor(
    readonly status: number,
    readonly grpcCode: number,
    readonly detail: string,
  ) {
    super(`rpc error: code = ${grpcCodeName(grpcCode)} desc = ${detail}`);
    this.name = 'ArgoCdApiError';
  }
}

/** A call that never reached the server: the complete `rpc error: ...` text the CLI prints. */
export class ArgoCdTransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgoCdTransportError';
  }
}

/** Decides whether a gRPC method's call can reach the server: undefined, or the error text. */
export type TransportCheck = (grpcMethod: string) => string | undefined;

/**
 * The Argo CD server's REST API (grpc-gateway) as the argocd CLI's calls reach it: the token it
 * holds as a Bearer JWT on every call (none when it has none); non-GET requests send
 * `Content-Type: application/json`. Each call first passes `transport` under its gRPC method's
 * name, which fails it as the CLI's connection would.
 */
export class ArgoCdApi {
  constructor(
    private readonly baseUrl: string,
    private readonly signal: AbortSignal,
    private readonly transport: TransportCheck,
    private token = '',
  ) {}

  /** `SessionService.Create`: the session token of the username and password. */
  async createSession(username: string, password: string): Promise<string> {
    const body = (await this.request('/session.SessionService/Create', 'POST', '/api/v1/session', {
      username,
      password,
    })) as { token?: string };
    if (typeof body.token !== 'string') throw new ArgoCdApiError(500, 13, 'session response without token');
    return body.token;
  }

  getApplication(name: string, refresh?: 'normal' | 'hard', appNamespace = ''): Promise<Application> {
    const query = new URLSearchParams();
    if (refresh !== undefined) query.set('refresh', refresh);
    if (appNamespace !== '') query.set('appNamespace', appNamespace);
    const search = query.size === 0 ? '' : `?${query.toString()}`;
    return this.request(
      '/application.ApplicationService/Get',
      'GET',
      `/api/v1/applications/${encodeURIComponent(name)}${search}`,
    ) as Promise<Application>;
  }

  /**
   * `ApplicationService.List` with the query `argocd app list` sends (a selector and an app
   * namespace, both possibly empty): the apps the caller may get, sorted by name.
   */
  async listApplications(selector: string, appNamespace = ''): Promise<Application[]> {
    const query = new URLSearchParams({ selector, appNamespace });
    const list = (await this.request(
      '/application.ApplicationService/List',
      'GET',
      `/api/v1/applications?${query.toString()}`,
    )) as { items?: Application[] | null };
    return list.items ?? [];
  }

  createApplication(app: Application, upsert: boolean, validate: boolean): Promise<Application> {
    return this.request(
      '/application.ApplicationService/Create',
      'POST',
      `/api/v1/applications?upsert=${upsert}&validate=${validate}`,
      app,
    ) as Promise<Application>;
  }

  sync(name: string, body: Record<string, unknown>): Promise<Application> {
    return this.request(
      '/application.ApplicationService/Sync',
      'POST',
      `/api/v1/applications/${encodeURIComponent(name)}/sync`,
      body,
    ) as Promise<Application>;
  }

  /** `ApplicationService.Delete`: cascade and propagation policy only when the command sets them. */
  async deleteApplication(name: string, options: DeleteOptions = {}): Promise<void> {
    const query = new URLSearchParams();
    if (options.appNamespace !== undefined && options.appNamespace !== '')
      query.set('appNamespace', options.appNamespace);
    if (options.cascade !== undefined) query.set('cascade', String(options.cascade));
    if (options.propagationPolicy !== undefined) query.set('propagationPolicy', options.propagationPolicy);
    const search = query.size === 0 ? '' : `?${query.toString()}`;
    await this.request(
      '/application.ApplicationService/Delete',
      'DELETE',
      `/api/v1/applications/${encodeURIComponent(name)}${search}`,
    );
  }

  private async request(grpcMethod: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const failure = this.transport(grpcMethod);
    if (failure !== undefined) throw new ArgoCdTransportError(failure);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== '') headers.authorization = `Bearer ${this.token}`;
    if (method !== 'GET') headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: this.signal,
      });
    } catch (error) {
      throw new ArgoCdApiError(503, 14, `connection error: ${(error as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = { message: text };
    }
    if (!res.ok) {
      const err = (parsed ?? {}) as { code?: number; message?: string; error?: string };
      throw new ArgoCdApiError(
        res.status,
        err.code ?? grpcFromHttp(res.status),
        err.message ?? err.error ?? res.statusText,
      );
    }
    return parsed;
  }
}

function grpcFromHttp(status: number): number {
  switch (status) {
    case 400:
      return 3;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return 5;
    case 409:
      return 6;
    case 429:
      return 8;
    case 503:
      return 14;
    default:
      return 2;
  }
}

/** Reads a nested field of a JSON object (`dig(app, 'status', 'sync', 'status')`). */
export function dig(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function digString(value: unknown, ...keys: string[]): string {
  const found = dig(value, ...keys);
  return typeof found === 'string' ? found : '';
}
