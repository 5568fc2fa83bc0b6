import type { TemplateParameter } from '@platform/domain';
import { parameterValueProblem } from './parameter-value';

const parameter = (overrides: Partial<TemplateParameter>): TemplateParameter => ({
  name: 'p',
  type: 'string',
  ...overrides,
});

const PORT = parameter({ type: 'integer', pattern: '^[0-9]{2,5}$' });
const GREETING = parameter({ pattern: '^[A-Za-z0-9 ,.!-]{1,60}$', maxLength: 60 });
const FLAG = parameter({ type: 'boolean' });
// A catalog pattern without anchors still has to match the whole value.
const UNANCHORED = parameter({ pattern: '[a-z]+', maxLength: 20 });

describe(parameterValueProblem.name, () => {
  it.each([
    ['port', PORT, '8080'],
    ['port', PORT, '80'],
    ['greeting', GREETING, 'hello, world!'],
    ['greeting', GREETING, 'g'.repeat(60)],
    ['flag', FLAG, 'true'],
    ['flag', FLAG, 'false'],
    ['unanchored', UNANCHORED, 'abc'],
    ['integer without pattern', parameter({ type: 'integer' }), '-12'],
  ])('accepts a %s of %j', (_what, p, text) => {
    expect(parameterValueProblem(p, text)).toBeUndefined();
  });

  it.each([
    ['port', PORT, '8o80', 'must be an integer, got "8o80"'],
    ['port', PORT, '8', 'must match ^[0-9]{2,5}$, got "8"'],
    ['port', PORT, '1.5', 'must be an integer, got "1.5"'],
    ['greeting', GREETING, 'g'.repeat(61), 'must be at most 60 characters, got 61'],
    ['greeting', GREETING, 'hi; rm -rf /', 'must match ^[A-Za-z0-9 ,.!-]{1,60}$, got "hi; rm -rf /"'],
    ['greeting', GREETING, 'hi\nINJECTED=1', 'must not contain line breaks or control characters'],
    ['greeting', GREETING, 'tab\there', 'must not contain line breaks or control characters'],
    ['greeting', GREETING, 'bell\u0007', 'must not contain line breaks or control characters'],
    ['greeting', GREETING, 'del\u007f', 'must not contain line breaks or control characters'],
    ['flag', FLAG, 'yes', 'must be true or false, got "yes"'],
    ['flag', FLAG, 'True', 'must be true or false, got "True"'],
    ['unanchored', UNANCHORED, 'abc1', 'must match [a-z]+, got "abc1"'],
    ['unanchored', UNANCHORED, '1abc', 'must match [a-z]+, got "1abc"'],
  ])('refuses a %s of %j: %s', (_what, p, text, problem) => {
    expect(parameterValueProblem(p, text)).toBe(problem);
  });
});
