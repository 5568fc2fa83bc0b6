import { globMatch } from '../../src/argo-cd/shared/rbac-glob';
import { RbacEnforcer, type RbacClaims } from '../../src/argo-cd/server/rbac-enforcer';
import { parsePolicy, PolicyError } from '../../src/argo-cd/server/rbac-policy';

const claims = (sub: string, raw: Record<string, unknown> = {}): RbacClaims => ({
  sub,
  iat: 1_735_689_600,
  raw: { sub, ...raw },
});

function enforcer(policy: string, defaultRole = '', scopes = ['groups']): RbacEnforcer {
  return new RbacEnforcer({ policy: parsePolicy(policy), defaultRole, scopes, matchMode: 'glob' });
}

describe(globMatch.name, () => {
  it.each([
    ['*/*', 'default/shop', true],
    ['*', 'default/shop', true],
    ['team-a/*', 'team-a/shop', true],
    ['team-a/*', 'team-b/shop', false],
    ['default/shop', 'default/shop', true],
    ['default/shop', 'default/shop-2', false],
    ['default/shop-?', 'default/shop-2', true],
    ['default/{shop,blog}', 'default/blog', true],
    ['default/{shop,blog}', 'default/wiki', false],
    ['default/[a-c]*', 'default/blog', true],
    ['default/[!a-c]*', 'default/blog', false],
    ['default/\\*', 'default/*', true],
    ['default/\\*', 'default/x', false],
    ['a.b', 'axb', false],
    ['default/[', 'default/[', false],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });
});

describe(RbacEnforcer.name, () => {
  it('gives the built-in admin account every application action and nothing to an unknown account', () => {
    const rbac = enforcer('');
    for (const action of ['get', 'create', 'update', 'delete', 'sync', 'override']) {
      expect(rbac.enforce(claims('admin'), 'applications', action, 'default/shop')).toBe(true);
    }
    expect(rbac.enforce(claims('someone'), 'applications', 'get', 'default/shop')).toBe(false);
  });

  it('follows roles through roles, and role:readonly only reads', () => {
    const rbac = enforcer('g, reader, role:viewers\ng, role:viewers, role:readonly');
    expect(rbac.enforce(claims('reader'), 'applications', 'get', 'default/shop')).toBe(true);
    expect(rbac.enforce(claims('reader'), 'logs', 'get', 'default/shop')).toBe(true);
    expect(rbac.enforce(claims('reader'), 'applications', 'sync', 'default/shop')).toBe(false);
  });

  it('lets a deny win over any allow', () => {
    const rbac = enforcer(
      ['p, deployer, applications, *, */*, allow', 'p, deployer, applications, sync, prod/*, deny'].join(
        '\n',
      ),
    );
    expect(rbac.enforce(claims('deployer'), 'applications', 'sync', 'dev/shop')).toBe(true);
    expect(rbac.enforce(claims('deployer'), 'applications', 'sync', 'prod/shop')).toBe(false);
    expect(rbac.enforce(claims('deployer'), 'applications', 'get', 'prod/shop')).toBe(true);
  });

  it('tries policy.default first and the groups of the scopes last', () => {
    const readonly = enforcer('', 'role:readonly');
    expect(readonly.enforce(claims('anyone'), 'applications', 'get', 'default/shop')).toBe(true);
    expect(readonly.enforce(claims('anyone'), 'applications', 'delete', 'default/shop')).toBe(false);
    const grouped = enforcer('g, ops, role:admin', '', ['groups']);
    expect(grouped.enforce(claims('u', { groups: ['dev', 'ops'] }), 'applications', 'delete', 'a/b')).toBe(
      true,
    );
    expect(grouped.enforce(claims('u', { groups: ['dev'] }), 'applications', 'delete', 'a/b')).toBe(false);
  });

  it("words a refusal as the server's EnforceErr", () => {
    expect(() =>
      enforcer('').enforceErr(claims('platform-api'), 'applications', 'sync', 'default/shop'),
    ).toThrow(
      'permission denied: applications, sync, default/shop, sub: platform-api, iat: 2025-01-01T00:00:00Z',
    );
  });

  it('refuses a policy line of the wrong shape, as the adapter does', () => {
    expect(() => parsePolicy('p, a, applications, get, */*')).toThrow(
      new PolicyError('p, a, applications, get, */*'),
    );
    expect(() => parsePolicy('x, a, b')).toThrow(PolicyError);
    expect(parsePolicy('# comment\n\n  p, "a,b", applications, get, */*, allow').rules).toEqual([
      { subject: 'a,b', resource: 'applications', action: 'get', object: '*/*', effect: 'allow' },
    ]);
  });
});
