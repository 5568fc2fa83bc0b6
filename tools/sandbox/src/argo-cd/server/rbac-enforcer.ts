import { GrpcCode, GrpcError } from '../../grpc-gateway';
import { BUILTIN_POLICY, type Policy, type PolicyRule } from './rbac-policy';
import { globMatch } from '../shared/rbac-glob';

/** What Argo CD's RBAC reads of a verified token: the subject, when it was issued, its groups. */
export interface RbacClaims {
  /** The user identifier (`sub`, already stripped of `:login` / `:apiKey`). */
  sub: string;
  /** Issued-at, seconds since the epoch. */
  iat: number;
  /** Every claim, for the `scopes` (groups) lookup. */
  raw: Readonly<Record<string, unknown>>;
}

export interface RbacSettings {
  policy: Policy;
  /** `policy.default`: a role everyone has. */
  defaultRole: string;
  /** `scopes`: the claims holding a user's groups (default `groups`). */
  scopes: string[];
  /** `policy.matchMode`: `glob` (default) or `regex`. */
  matchMode: 'glob' | 'regex';
}

// casbin's default role manager follows at most ten levels of `g` lines.
const MAX_ROLE_DEPTH = 10;

/**
 * Argo CD's RBAC enforcement (`util/rbac/rbac.go` with the server's claims enforcer,
 * `server/rbacpolicy/rbacpolicy.go`) over the built-in policy plus the user's `policy.csv`:
 * a request (subject, resource, action, object) is allowed when some matching rule allows it and
 * none denies it (deny wins); rules match the subject or a role it has through `g` lines, and
 * resource, action and object by glob (or regex). The default role is tried first, then the
 * token's subject, then each of its groups that some `g` line names.
 */
export class RbacEnforcer {
  private readonly rules: PolicyRule[];
  private readonly grants = new Map<string, string[]>();
  private readonly match: (pattern: string, value: string) => boolean;

  constructor(private readonly settings: RbacSettings) {
    this.rules = [...BUILTIN_POLICY.rules, ...settings.policy.rules];
    for (const { subject, role } of [...BUILTIN_POLICY.grants, ...settings.policy.grants]) {
      this.grants.set(subject, [...(this.grants.get(subject) ?? []), role]);
    }
    this.match = settings.matchMode === 'regex' ? regexMatch : globMatch;
  }

  /** `Enforce(claims, resource, action, object)`. */
  enforce(claims: RbacClaims | undefined, resource: string, action: string, object: string): boolean {
    const { defaultRole, scopes } = this.settings;
    if (defaultRole !== '' && this.allows(defaultRole, resource, action, object)) return true;
    if (claims === undefined) return this.allows('', resource, action, object);
    if (this.allows(claims.sub, resource, action, object)) return true;
    for (const group of groupsOf(claims.raw, scopes)) {
      if (this.grants.has(group) && this.allows(group, resource, action, object)) return true;
    }
    return false;
  }

  /** `EnforceErr`: PermissionDenied naming the request, the subject and when its token was issued. */
  enforceErr(claims: RbacClaims | undefined, resource: string, action: string, object: string): void {
    if (this.enforce(claims, resource, action, object)) return;
    const parts = [resource, action, object];
    if (claims !== undefined) {
      if (claims.sub !== '') parts.push(`sub: ${claims.sub}`);
      parts.push(`iat: ${new Date(claims.iat * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
    }
    throw new GrpcError(GrpcCode.PermissionDenied, `permission denied: ${parts.join(', ')}`);
  }

  private allows(subject: string, resource: string, action: string, object: string): boolean {
    const subjects = this.rolesOf(subject);
    let allowed = false;
    for (const rule of this.rules) {
      if (!subjects.has(rule.subject)) continue;
      if (!this.match(rule.resource, resource)) continue;
      if (!this.match(rule.action, action)) continue;
      if (!this.match(rule.object, object)) continue;
      if (rule.effect === 'deny') return false;
      if (rule.effect === 'allow') allowed = true;
    }
    return allowed;
  }

  /** The subject and every role it has, directly or through other roles. */
  private rolesOf(subject: string): Set<string> {
    const found = new Set([subject]);
    let frontier = [subject];
    for (let depth = 0; depth < MAX_ROLE_DEPTH && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const name of frontier) {
        for (const role of this.grants.get(name) ?? []) {
          if (found.has(role)) continue;
          found.add(role);
          next.push(role);
        }
      }
      frontier = next;
    }
    return found;
  }
}

/** `jwtutil.GetScopeValues`: string or string-list claims named by the scopes. */
function groupsOf(claims: Readonly<Record<string, unknown>>, scopes: string[]): string[] {
  const groups: string[] = [];
  for (const scope of scopes) {
    const value = claims[scope];
    if (typeof value === 'string') groups.push(value);
    else if (Array.isArray(value)) groups.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  return groups;
}

/** casbin's `RegexMatchFunc`: Go's `regexp.MatchString`, unanchored; a bad pattern matches nothing. */
function regexMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return false;
  }
}
