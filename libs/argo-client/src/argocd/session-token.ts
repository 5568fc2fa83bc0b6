import type { HttpTransport } from '../http/http-transport';
import type { TokenProvider } from '../http/token-provider';

/**
 * An Argo CD session: logs in with username/password on first use, keeps the JWT, and logs in
 * again when the transport reports a 401 (expired session). Concurrent callers share one login.
 */
export class ArgoCdSession implements TokenProvider {
  private current: Promise<string> | undefined;

  constructor(
    private readonly login: HttpTransport,
    private readonly username: string,
    private readonly password: string,
  ) {}

  token(): Promise<string | undefined> {
    this.current ??= this.login
      .request<{ token: string }>('POST', '/api/v1/session', {
        body: { username: this.username, password: this.password },
      })
      .then((r) => r.token)
      .catch((error: unknown) => {
        this.current = undefined;
        throw error;
      });
    return this.current;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
