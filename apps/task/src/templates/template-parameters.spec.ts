import type { AppTemplate } from '@platform/domain';
import { placeholderValues, resolveParameters, type ParameterInput } from './template-parameters';

const TEMPLATE: AppTemplate = {
  name: 'node-service',
  title: 'Node.js HTTP service',
  description: 'A small HTTP service.',
  sourceRepo: 'node-service',
  manifestsRepo: 'node-service-manifests',
  parameters: [
    { name: 'port', type: 'integer', default: '8080', pattern: '^[0-9]{2,5}$' },
    { name: 'greeting', type: 'string', default: 'hello', pattern: '^[a-z ]{1,20}$', maxLength: 20 },
    { name: 'debug', type: 'boolean', default: 'false' },
    { name: 'owner-email', type: 'string', pattern: '^[a-z]+@[a-z.]+$', maxLength: 60 },
  ],
};

const OWNER = { 'owner-email': 'ada@example.com' };

describe(resolveParameters.name, () => {
  it.each<[string, ParameterInput, Record<string, string>]>([
    ['fills in defaults', OWNER, { port: '8080', greeting: 'hello', debug: 'false', ...OWNER }],
    [
      'takes numbers and booleans as their text',
      { ...OWNER, port: 3000, debug: true },
      { port: '3000', greeting: 'hello', debug: 'true', ...OWNER },
    ],
    [
      'takes strings as they are',
      { ...OWNER, port: '3000', greeting: 'hi there' },
      { port: '3000', greeting: 'hi there', debug: 'false', ...OWNER },
    ],
    [
      'reads null as left out',
      { ...OWNER, greeting: null },
      { port: '8080', greeting: 'hello', debug: 'false', ...OWNER },
    ],
  ])('%s', (_what, given, values) => {
    expect(resolveParameters(TEMPLATE, given)).toEqual({ ok: true, values });
  });

  it.each<[string, ParameterInput, Record<string, string[]>]>([
    [
      'a required parameter left out',
      {},
      { 'parameters.owner-email': ['is required (string, matching ^[a-z]+@[a-z.]+$)'] },
    ],
    [
      'a parameter the template does not take',
      { ...OWNER, colour: 'blue' },
      {
        'parameters.colour': [
          'is not a parameter of template "node-service" (it takes: port, greeting, debug, owner-email)',
        ],
      },
    ],
    ['a list', { ...OWNER, port: [8080] }, { 'parameters.port': ['must be an integer, not a list'] }],
    [
      'an object',
      { ...OWNER, greeting: { text: 'hi' } },
      { 'parameters.greeting': ['must be a string, not an object'] },
    ],
    [
      'a number that is not finite',
      { ...OWNER, port: Infinity },
      { 'parameters.port': ['must be an integer, not a number'] },
    ],
    [
      'a value its rule refuses',
      { ...OWNER, debug: 'yes' },
      { 'parameters.debug': ['must be true or false, got "yes"'] },
    ],
  ])('reports %s', (_what, given, problems) => {
    const resolved = resolveParameters(TEMPLATE, given);
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(Object.fromEntries(resolved.problems.map((p) => [p.field, p.problems]))).toEqual(problems);
  });

  it('reports every problem at once', () => {
    const resolved = resolveParameters(TEMPLATE, { colour: 'blue', port: 'eighty' });
    expect(resolved.ok ? [] : resolved.problems.map((p) => p.field)).toEqual([
      'parameters.colour',
      'parameters.port',
      'parameters.owner-email',
    ]);
  });
});

describe(placeholderValues.name, () => {
  it('writes one KEY=value line per parameter, upper-cased with "-" as "_"', () => {
    expect(placeholderValues({ port: '8080', 'owner-email': 'ada@example.com' })).toBe(
      'PORT=8080\nOWNER_EMAIL=ada@example.com',
    );
  });
});
