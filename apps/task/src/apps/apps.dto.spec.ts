import { fieldProblems } from '../../test/support/field-problems';
import { AppParam, BuildBody, CreateAppBody, DeployBody } from './apps.dto';

const DNS_LABEL =
  'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
const TEAM = 'team must be a team name (lowercase letters, digits and "-")';
const REF_CHARACTERS =
  'ref may contain only letters, digits, ".", "_", "/" and "-" and must start with a letter or digit';
const REF_SHAPE = 'ref is not a valid git ref (no "..", "//", trailing "/" or ".", or ".lock" suffix)';
const TAG = 'tag must match [A-Za-z0-9_][A-Za-z0-9._-]{0,127}';

const createApp = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'shop',
  team: 'payments',
  template: 'node-service',
  ...overrides,
});

describe(CreateAppBody.name, () => {
  it('accepts a request with only the required fields', async () => {
    expect(await fieldProblems(CreateAppBody, createApp())).toEqual({});
  });

  it.each([['a'], ['shop'], ['shop-2'], ['0day'], ['a'.repeat(40)]])(
    'accepts the app name %j',
    async (name) => {
      expect(await fieldProblems(CreateAppBody, createApp({ name }))).toEqual({});
    },
  );

  it.each([
    ['', 'name must not be empty'],
    ['a'.repeat(41), 'name must be at most 40 characters'],
    ['Shop', `name ${DNS_LABEL}`],
    ['-shop', `name ${DNS_LABEL}`],
    ['shop-', `name ${DNS_LABEL}`],
    ['sh_op', `name ${DNS_LABEL}`],
    ['shop.web', `name ${DNS_LABEL}`],
    ['shop web', `name ${DNS_LABEL}`],
    [42, 'name must be a string'],
    [undefined, 'name must be a string'],
  ])('refuses the app name %j: %s', async (name, problem) => {
    expect(await fieldProblems(CreateAppBody, createApp({ name }))).toEqual({ name: [problem] });
  });

  it.each([['payments'], ['team-1'], ['a'], ['0']])('accepts the team name %j', async (team) => {
    expect(await fieldProblems(CreateAppBody, createApp({ team }))).toEqual({});
  });

  it.each([
    [''],
    ['Payments'],
    ['-payments'],
    ['payments-'],
    ['pay ments'],
    ['payments,content'],
    ['payments)'],
    [7],
    [undefined],
  ])('refuses the team name %j', async (team) => {
    expect(await fieldProblems(CreateAppBody, createApp({ team }))).toEqual({ team: [TEAM] });
  });

  it.each([
    ['template', 7, 'template must be the name of an app template (see GET /templates)'],
    ['template', undefined, 'template must be the name of an app template (see GET /templates)'],
    ['parameters', 'port=8080', 'parameters must be an object of parameter names to values'],
    ['parameters', ['port'], 'parameters must be an object of parameter names to values'],
    ['environment', 3, 'environment must be an environment name'],
    ['colour', 'blue', 'property colour should not exist'],
  ])('refuses %s %j', async (field, value, problem) => {
    expect(await fieldProblems(CreateAppBody, createApp({ [field]: value }))).toEqual({
      [field]: [problem],
    });
  });

  it('accepts template parameters and an environment (their values are checked against the catalog and config later)', async () => {
    expect(
      await fieldProblems(
        CreateAppBody,
        createApp({ parameters: { port: 8080, greeting: 'hi' }, environment: 'prod' }),
      ),
    ).toEqual({});
  });

  it('lists every bad field at once', async () => {
    expect(Object.keys(await fieldProblems(CreateAppBody, { name: 'Shop', team: '' }))).toEqual([
      'name',
      'team',
      'template',
    ]);
  });
});

describe(BuildBody.name, () => {
  it.each([
    [undefined],
    ['main'],
    ['v1.2.3'],
    ['feature/login'],
    ['release_2024.01'],
    ['3f2a9c1b7d4e5f60718293a4b5c6d7e8f9012345'],
    ['a'.repeat(200)],
  ])('accepts the git ref %j', async (ref) => {
    expect(await fieldProblems(BuildBody, ref === undefined ? {} : { ref })).toEqual({});
  });

  it.each([
    ['', 'ref must be 1 to 200 characters'],
    ['a'.repeat(201), 'ref must be 1 to 200 characters'],
    ['-rf', REF_CHARACTERS],
    ['.hidden', REF_CHARACTERS],
    ['/main', REF_CHARACTERS],
    ['main;reboot', REF_CHARACTERS],
    ['$(id)', REF_CHARACTERS],
    ['main branch', REF_CHARACTERS],
    ['a..b', REF_SHAPE],
    ['feature//login', REF_SHAPE],
    ['feature/', REF_SHAPE],
    ['v1.', REF_SHAPE],
    ['main.lock', REF_SHAPE],
    [5, 'ref must be a string'],
  ])('refuses the git ref %j: %s', async (ref, problem) => {
    expect(await fieldProblems(BuildBody, { ref })).toEqual({ ref: [problem] });
  });
});

describe(DeployBody.name, () => {
  const deploy = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    environment: 'dev',
    tag: 'latest',
    ...overrides,
  });

  it.each([['latest'], ['3f2a9c1b7d4e'], ['_build'], ['v1.0.0-rc.1'], ['a'.repeat(128)]])(
    'accepts the image tag %j',
    async (tag) => {
      expect(await fieldProblems(DeployBody, deploy({ tag }))).toEqual({});
    },
  );

  it.each([[''], ['.v1'], ['-v1'], ['a'.repeat(129)], ['v1:latest'], ['team/v1'], ['v1 ']])(
    'refuses the image tag %j',
    async (tag) => {
      expect(await fieldProblems(DeployBody, deploy({ tag }))).toEqual({ tag: [TAG] });
    },
  );

  it.each([
    [{ tag: 7 }, { tag: ['tag must be a string'] }],
    [{ environment: undefined }, { environment: ['environment must be an environment name'] }],
    [{ environment: ['dev'] }, { environment: ['environment must be an environment name'] }],
  ])('refuses %j', async (overrides, problems) => {
    expect(await fieldProblems(DeployBody, deploy(overrides))).toEqual(problems);
  });
});

describe(AppParam.name, () => {
  it.each([
    ['shop', {}],
    ['Shop', { app: [`app ${DNS_LABEL}`] }],
    ['a'.repeat(41), { app: ['app must be at most 40 characters'] }],
  ])('checks the app %j in a path like a new app name', async (app, problems) => {
    expect(await fieldProblems(AppParam, { app }, 'param')).toEqual(problems);
  });
});
