import { labelValue } from './labels';

describe(labelValue.name, () => {
  it.each([
    ['alice', 'alice'],
    ['alice@example.com', 'alice_example.com'],
    ['CN=Bob Smith,OU=eng', 'CN_Bob_Smith_OU_eng'],
    ['_svc-account_', 'svc-account'],
    ['a'.repeat(70), 'a'.repeat(63)],
    ['@@@', ''],
  ])('%s → %s', (text, label) => {
    expect(labelValue(text)).toBe(label);
    expect(label).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
  });
});
