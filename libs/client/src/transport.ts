import { PlatformApiError } from './errors';

/** Where the bearer token comes from: fixed, or asked for on every request (so it can be refreshed). */
export type TokenSource = string | (() => string | Promise<string>);

export interface TransportOptions {
  /** The platform's base URL (the Ingress or the local gateway), e.g. `https://portal.example/api`. */
  baseUrl: string;
  token: TokenSource;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** A query string's values; undefined ones are left out. */
export type QueryValues = Record<string, string | number | boolean | undefined>;

export interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path below the base URL, already encoded, e.g. `/task/v1/tasks/abc`. */
  path: string;
  query?: QueryValues;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Builds URLs, sends the Authorization header, and turns error responses into PlatformApiError. */
export class Transport {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: TransportOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    // Bound: a browser's fetch throws "Illegal invocation" when called as a method of something else.
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get fetch(): typeof fetch {
    return this.fetchFn;
  }

  url(path: string, query: QueryValues = {}): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) params.set(name, String(value));
    const search = params.toString();
    return `${this.base}${path}${search === '' ? '' : `?${search}`}`;
  }

  async token(): Promise<string> {
    const { token } = this.options;
    return typeof token === 'string' ? token : await token();
  }

  async json<T>(spec: RequestSpec): Promise<T> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${await this.token()}`,
      ...spec.headers,
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetchFn(this.url(spec.path, spec.query), {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal: spec.signal,
    });
    if (!response.ok) throw await PlatformApiError.fromResponse(response);
    return (await response.json()) as T;
  }
}

/** One path segment, encoded (an app name or task id never needs it; a stray `/` must not route elsewhere). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
