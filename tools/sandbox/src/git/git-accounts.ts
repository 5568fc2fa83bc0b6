import { timingSafeEqual } from 'node:crypto';
import type { SandboxConfig } from '../core/sandbox-context';

/** A user of the git server. */
export interface GitUser {
  id: number;
  login: string;
  /** Site administrators may create repositories anywhere (Gitea: `is_admin`). */
  isAdmin: boolean;
  createdAt: string;
}

/**
 * Who sits at the git server: the site administrator who set it up (it owns the seeded
 * organizations and never signs in here) and the one configured user (`gitUsername`, a regular
 * user: it signs in with `gitPassword`, or with its personal access token `gitToken`).
 */
export class GitAccounts {
  static readonly ADMIN_LOGIN = 'gitea-admin';
  readonly admin: GitUser;
  readonly user: GitUser;

  constructor(private readonly config: Pick<SandboxConfig, 'gitUsername' | 'gitPassword' | 'gitToken'>) {
    const createdAt = new Date(0).toISOString();
    this.admin = { id: 1, login: GitAccounts.ADMIN_LOGIN, isAdmin: true, createdAt };
    this.user = { id: 2, login: config.gitUsername, isAdmin: false, createdAt };
  }

  /** The user a login name (case-insensitive, as Gitea's lower_name) belongs to. */
  byLogin(login: string): GitUser | undefined {
    const lower = login.toLowerCase();
    return [this.admin, this.user].find((u) => u.login.toLowerCase() === lower);
  }

  /** The user an access token belongs to. */
  byToken(token: string): GitUser | undefined {
    const { gitToken } = this.config;
    return gitToken !== undefined && gitToken !== '' && sameText(token, gitToken) ? this.user : undefined;
  }

  /** The user a login name and password sign in as (Gitea's UserSignIn). */
  signIn(login: string, password: string): GitUser | undefined {
    const user = this.byLogin(login);
    return user === this.user && sameText(password, this.config.gitPassword) ? user : undefined;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
