import { swaggerProblems } from './gitea-swagger-schemas';

describe(swaggerProblems.name, () => {
  const repo = {
    id: 1,
    name: 'shop',
    full_name: 'payments/shop',
    owner: { id: 3, login: 'payments' },
    private: true,
    empty: true,
    default_branch: 'main',
    clone_url: 'http://git/payments/shop.git',
    html_url: 'http://git/payments/shop',
    ssh_url: 'git@git:payments/shop.git',
    created_at: '2025-01-02T03:04:05Z',
    updated_at: '2025-01-02T03:04:05Z',
    permissions: { admin: true, push: true, pull: true },
  };

  it('accepts a Repository made of swagger fields', () => {
    expect(swaggerProblems('Repository', repo)).toEqual([]);
  });

  it.each([
    ['an invented field', { ...repo, cloneUrl: 'http://git/shop.git' }],
    ['a wrong type', { ...repo, private: 'true' }],
    ['a missing field the platform reads', { ...repo, clone_url: undefined }],
    ['a time that is not RFC 3339', { ...repo, created_at: '2025-01-02 03:04:05' }],
    ['an owner with an invented field', { ...repo, owner: { id: 3, login: 'payments', kind: 'org' } }],
  ])('refuses %s', (_what, value) => {
    expect(swaggerProblems('Repository', JSON.parse(JSON.stringify(value)))).not.toEqual([]);
  });
});
