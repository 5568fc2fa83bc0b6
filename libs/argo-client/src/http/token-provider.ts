import { readFile, stat } from 'node:fs/promises';

/** Where a bearer token comes from; `invalidate` forces the next call to fetch a fresh one. */
export interface TokenProvider {
  token(): Promise<string | undefined>;
  invalidate?(): void;
  /** The Authorization scheme the token goes with; `Bearer` unless said otherwise (Gitea: `token`). */
  readonly scheme?: 'Bearer' | 'Basic' | 'token';
  /** A header that carries the bare token instead of Authorization (GitLab's `PRIVATE-TOKEN`). */
  readonly header?: string;
}

/** HTTP basic credentials (git servers take an access token as the password). */
export class BasicCredentials implements TokenProvider {
  readonly scheme = 'Basic';
  private readonly encoded: string;

  constructor(username: string, password: string) {
    this.encoded = Buffer.from(`${username}:${password}`).toString('base64');
  }

  token(): Promise<string | undefined> {
    return Promise.resolve(this.encoded);
  }
}

/** A token from configuration. */
export class StaticToken implements TokenProvider {
  constructor(private readonly value: string | undefined) {}

  token(): Promise<string | undefined> {
    return Promise.resolve(this.value);
  }
}

/**
 * An access token from configuration, sent as the server wants it: `Authorization: <scheme> <t>`
 * (Gitea's `token` scheme) or a header of its own (GitLab's `PRIVATE-TOKEN: <t>`).
 */
export class AccessToken implements TokenProvider {
  readonly scheme?: 'token' | 'Bearer';
  readonly header?: string;

  constructor(
    private readonly value: string,
    sendAs: { scheme: 'token' | 'Bearer' } | { header: string },
  ) {
    if ('header' in sendAs) this.header = sendAs.header;
    else this.scheme = sendAs.scheme;
  }

  token(): Promise<string | undefined> {
    return Promise.resolve(this.value);
  }
}

/**
 * A token read from a mounted file (a projected service-account token or a Secret volume). The
 * kubelet rotates such files in place, so the file is re-read whenever its mtime changes.
 */
export class FileToken implements TokenProvider {
  private cached: { mtimeMs: number; value: string } | undefined;

  constructor(private readonly file: string) {}

  async token(): Promise<string | undefined> {
    const { mtimeMs } = await stat(this.file);
    if (this.cached?.mtimeMs !== mtimeMs) {
      this.cached = { mtimeMs, value: (await readFile(this.file, 'utf8')).trim() };
    }
    return this.cached.value;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
