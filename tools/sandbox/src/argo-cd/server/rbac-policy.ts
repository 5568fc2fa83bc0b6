/** One `p, <subject>, <resource>, <action>, <object>, <effect>` line. */
export interface PolicyRule {
  subject: string;
  resource: string;
  action: string;
  object: string;
  effect: string;
}

/** `p` and `g` lines of a policy, in the order given. */
export interface Policy {
  rules: PolicyRule[];
  /** `g, <subject>, <role>`: the subject has the role (roles can have roles). */
  grants: Array<{ subject: string; role: string }>;
}

/** A policy line Argo CD refuses; the whole policy then fails to load. */
export class PolicyError extends Error {
  constructor(line: string) {
    super(`invalid RBAC policy: ${line}`);
    this.name = 'PolicyError';
  }
}

/**
 * Parses a `policy.csv` as Argo CD's adapter does (`util/rbac/rbac.go` loadPolicyLine): blank
 * lines and `#` comments are skipped, each line is one CSV record with leading spaces trimmed,
 * `p` needs exactly five fields after the key and `g` exactly two.
 */
export function parsePolicy(text: string): Policy {
  const policy: Policy = { rules: [], grants: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const tokens = csvRecord(line);
    const [key, ...fields] = tokens;
    if (key === 'p' && fields.length === 5) {
      const [subject = '', resource = '', action = '', object = '', effect = ''] = fields;
      policy.rules.push({ subject, resource, action, object, effect });
    } else if (key === 'g' && fields.length === 2) {
      policy.grants.push({ subject: fields[0] ?? '', role: fields[1] ?? '' });
    } else {
      throw new PolicyError(line);
    }
  }
  return policy;
}

/** Go's encoding/csv for one record with TrimLeadingSpace: commas, and double quotes around a field. */
function csvRecord(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i += 1;
    let field = '';
    if (line[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= line.length) throw new PolicyError(line);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += line[i];
        i += 1;
      }
      if (i < line.length && line[i] !== ',') throw new PolicyError(line);
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? line.length : comma);
      if (field.includes('"')) throw new PolicyError(line);
      i = comma < 0 ? line.length : comma;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i += 1;
  }
}

const ALL_APPS = '*/*';

/**
 * The roles every Argo CD server has (`assets/builtin-policy.csv`): `role:readonly` may get
 * everything, `role:admin` may also change everything, and the `admin` account is an admin.
 */
export const BUILTIN_POLICY: Policy = {
  rules: [
    ...(
      [
        ['applications', ALL_APPS],
        ['applicationsets', ALL_APPS],
        ['certificates', '*'],
        ['clusters', '*'],
        ['repositories', '*'],
        ['write-repositories', '*'],
        ['projects', '*'],
        ['accounts', '*'],
        ['gpgkeys', '*'],
        ['logs', ALL_APPS],
      ] as const
    ).map(([resource, object]) => allow('role:readonly', resource, 'get', object)),
    ...['create', 'update', 'update/*', 'delete', 'delete/*', 'sync', 'override', 'action/*'].map((action) =>
      allow('role:admin', 'applications', action, ALL_APPS),
    ),
    ...['get', 'create', 'update', 'delete'].map((action) =>
      allow('role:admin', 'applicationsets', action, ALL_APPS),
    ),
    ...['certificates', 'clusters', 'repositories', 'write-repositories', 'projects'].flatMap((resource) =>
      ['create', 'update', 'delete'].map((action) => allow('role:admin', resource, action, '*')),
    ),
    allow('role:admin', 'accounts', 'update', '*'),
    allow('role:admin', 'gpgkeys', 'create', '*'),
    allow('role:admin', 'gpgkeys', 'delete', '*'),
    allow('role:admin', 'exec', 'create', ALL_APPS),
  ],
  grants: [
    { subject: 'role:admin', role: 'role:readonly' },
    { subject: 'admin', role: 'role:admin' },
  ],
};

function allow(subject: string, resource: string, action: string, object: string): PolicyRule {
  return { subject, resource, action, object, effect: 'allow' };
}
