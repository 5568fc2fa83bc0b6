import { applicationName, environmentNamespace, isApplicationOf } from './environments';

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
