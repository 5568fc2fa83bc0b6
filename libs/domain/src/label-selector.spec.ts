import { labelEquals, labelIn } from './label-selector';

describe(labelIn.name, () => {
  it('joins checked values', () => {
    expect(labelIn('platform-api/team', ['payments', 'content'])).toBe(
      'platform-api/team in (payments,content)',
    );
    expect(labelEquals('platform-api/app', 'shop')).toBe('platform-api/app=shop');
  });

  it.each([
    ['a,b'],
    ['*'],
    ['x) ,platform-api/team notin (y'],
    ['team a'],
    ['zespół'],
    ['-'],
    ['a'.repeat(64)],
  ])('refuses %j rather than let it add terms', (value) => {
    expect(() => labelIn('platform-api/team', ['payments', value])).toThrow(
      `not a label value: ${JSON.stringify(value)}`,
    );
    expect(() => labelEquals('platform-api/team', value)).toThrow('not a label value');
  });

  it('refuses an empty list (it would select nothing on some servers and everything on others)', () => {
    expect(() => labelIn('platform-api/team', [])).toThrow('needs at least one value');
  });
});
