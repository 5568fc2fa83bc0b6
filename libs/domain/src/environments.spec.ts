import {
  applicationName,
  appEnvironments,
  appTeam,
  environmentNamespace,
  isApplicationOf,
} from './environments';

describe('environments', () => {
  it('names one Application per app and environment, and a namespace per team and environment', () => {
    expect(applicationName('shop', 'prod')).toBe('shop-prod');
    expect(environmentNamespace('payments', 'prod')).toBe('payments-prod');
  });

  it('trusts the labels, not the name, to say whose Application it is', () => {
    const labels = { 'platform-api/app': 'shop-dev', 'platform-api/environment': 'eu' };
    // "shop-dev-eu" would also be the name of app "shop" in an environment "dev-eu".
    expect(applicationName('shop', 'dev-eu')).toBe(applicationName('shop-dev', 'eu'));
    expect(isApplicationOf(labels, 'shop', 'dev-eu')).toBe(false);
    expect(isApplicationOf(labels, 'shop-dev', 'eu')).toBe(true);
    expect(isApplicationOf(labels, 'shop-dev')).toBe(true);
    expect(isApplicationOf(undefined, 'shop-dev')).toBe(false);
  });
});

describe('appEnvironments', () => {
  const application = (
    name: string,
    labels: Record<string, string>,
    valueFiles: string[],
    namespace: string,
  ) => ({
    metadata: { name, labels },
    spec: { source: { helm: { valueFiles } }, destination: { namespace } },
  });

  it('reads each environment from its label, an older unlabelled app from its values file', () => {
    const apps = [
      application(
        'shop-prod',
        { 'platform-api/app': 'shop', 'platform-api/environment': 'prod' },
        ['values.yaml', 'values-prod.yaml'],
        'payments-prod',
      ),
      application('shop', { 'platform-api/app': 'shop' }, ['values.yaml', 'values-dev.yaml'], 'payments-dev'),
      application(
        'shop-dev-eu',
        { 'platform-api/app': 'shop-dev', 'platform-api/environment': 'eu' },
        [],
        'x-eu',
      ),
    ];
    expect(appEnvironments('shop', apps)).toEqual([
      { environment: 'dev', application: 'shop', namespace: 'payments-dev' },
      { environment: 'prod', application: 'shop-prod', namespace: 'payments-prod' },
    ]);
  });

  it('prefers the labelled Application when an older one names the same environment', () => {
    const apps = [
      application(
        'shop-dev',
        { 'platform-api/app': 'shop', 'platform-api/environment': 'dev' },
        [],
        'payments-dev',
      ),
      application('shop', { 'platform-api/app': 'shop' }, ['values-dev.yaml'], 'payments-dev'),
    ];
    expect(appEnvironments('shop', apps).map((e) => e.application)).toEqual(['shop-dev']);
  });
});

describe('appTeam', () => {
  const owned = (team: string, project: string) => ({
    metadata: { labels: { 'platform-api/app': 'shop', 'platform-api/team': team } },
    spec: { project },
  });
  it.each([
    ['one team, in its project', [owned('payments', 'payments'), owned('payments', 'payments')], 'payments'],
    ['no Application at all', [], undefined],
    [
      'one labelled for another team',
      [owned('payments', 'payments'), owned('content', 'content')],
      undefined,
    ],
    [
      "one in another team's project",
      [owned('payments', 'payments'), owned('payments', 'content')],
      undefined,
    ],
  ])('%s', (_, applications, team) => {
    expect(appTeam(applications)).toBe(team);
  });
});
