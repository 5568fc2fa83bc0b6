/** What an account may do: open a session with its password (`login`), or hold API keys (`apiKey`). */
export type AccountCapability = 'login' | 'apiKey';

/** An API key of an account, as `argocd-secret` lists it under `accounts.<name>.tokens`. */
export interface AccountToken {
  id: string;
  iat: number;
  exp?: number;
}

/** A local Argo CD account (`util/settings/accounts.go`). */
export interface ArgoCdAccount {
  passwordHash: string;
  /** Tokens issued before this are refused ("account password has changed since token issued"). */
  passwordMtime?: Date;
  enabled: boolean;
  capabilities: AccountCapability[];
  tokens: AccountToken[];
}

export const ADMIN = 'admin';

/**
 * The accounts as Argo CD reads them: `admin` always exists (login only; `admin.password`,
 * `admin.passwordMtime`, `admin.tokens` in argocd-secret, `admin.enabled` in argocd-cm); every
 * other account is declared in argocd-cm by `accounts.<name>: <capabilities>` and/or
 * `accounts.<name>.enabled`, with its password, mtime and tokens in argocd-secret under
 * `accounts.<name>.password|passwordMtime|tokens`. Unknown capabilities are ignored.
 */
export function parseAccounts(
  cm: Readonly<Record<string, string>>,
  secret: Readonly<Record<string, string>>,
): Map<string, ArgoCdAccount> {
  const accounts = new Map<string, ArgoCdAccount>();
  const admin: ArgoCdAccount = {
    passwordHash: secret['admin.password'] ?? '',
    passwordMtime: rfc3339(secret['admin.passwordMtime']),
    enabled: true,
    capabilities: ['login'],
    tokens: tokensOf(secret['admin.tokens']),
  };
  const adminEnabled = parseGoBool(cm['admin.enabled']);
  if (adminEnabled !== undefined) admin.enabled = adminEnabled;
  accounts.set(ADMIN, admin);

  for (const [key, value] of Object.entries(cm)) {
    if (!key.startsWith('accounts.')) continue;
    const parts = key.split('.');
    if (parts.length !== 2 && parts.length !== 3) continue;
    const name = parts[1] ?? '';
    const suffix = parts[2] ?? '';
    const account = accounts.get(name) ?? {
      passwordHash: '',
      enabled: true,
      capabilities: [],
      tokens: [],
    };
    accounts.set(name, account);
    if (suffix === '') {
      for (const capability of value.split(',').map((c) => c.trim())) {
        if (capability === 'login' || capability === 'apiKey') account.capabilities.push(capability);
      }
    } else if (suffix === 'enabled') {
      const enabled = parseGoBool(value);
      if (enabled === undefined) throw new Error(`strconv.ParseBool: parsing "${value}": invalid syntax`);
      account.enabled = enabled;
    }
  }
  for (const [name, account] of accounts) {
    if (name === ADMIN) continue;
    account.passwordHash = secret[`accounts.${name}.password`] ?? '';
    account.passwordMtime = rfc3339(secret[`accounts.${name}.passwordMtime`]);
    account.tokens = tokensOf(secret[`accounts.${name}.tokens`]);
  }
  return accounts;
}

/** Go's strconv.ParseBool. */
function parseGoBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

function rfc3339(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function tokensOf(value: string | undefined): AccountToken[] {
  if (value === undefined || value === '') return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? (parsed as AccountToken[]) : [];
  } catch {
    return [];
  }
}
