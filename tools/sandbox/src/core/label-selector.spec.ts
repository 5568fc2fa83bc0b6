import { LabelSelector } from './label-selector';

describe(LabelSelector.name, () => {
  it('parses equality and set requirements of label values up to 63 characters', () => {
    const value = 'a'.repeat(63);
    expect(LabelSelector.parse(`platform-api/app=${value}`).matches({ 'platform-api/app': value })).toBe(
      true,
    );
    expect(LabelSelector.parse(`app in (x,${value})`).matches({ app: value })).toBe(true);
  });

  it('refuses a value over 63 characters with the field error the API server gives (400)', () => {
    const value = 'a'.repeat(64);
    expect(() => LabelSelector.parse(`platform-api/app=${value}`)).toThrow(
      `values[0][platform-api/app]: Invalid value: "${value}": must be no more than 63 characters`,
    );
    expect(() => LabelSelector.parse(`app notin (x,${value})`)).toThrow(`values[1][app]: Invalid value`);
  });

  it('refuses a key whose name part is over 63 characters or that has two slashes', () => {
    expect(() => LabelSelector.parse(`example.com/${'k'.repeat(64)}=x`)).toThrow(
      'name part must be no more than 63 characters',
    );
    expect(() => LabelSelector.parse('a/b/c=x')).toThrow('key: Invalid value: "a/b/c"');
  });
});
