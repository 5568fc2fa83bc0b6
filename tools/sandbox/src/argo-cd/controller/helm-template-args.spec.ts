import { cleanSetParameters, envsubst, templateArgs } from './helm-template-args';

describe(templateArgs.name, () => {
  it('orders the arguments as util/helm/cmd.go does', () => {
    const args = templateArgs('.', {
      name: 'shop',
      namespace: 'shop-dev',
      kubeVersion: '1.31.0',
      apiVersions: ['apps/v1', 'v1'],
      set: new Map([['image.tag', 'a,b']]),
      setString: new Map([['team', '007']]),
      setFile: new Map([['config', '/repo/chart/config.txt']]),
      values: ['/repo/chart/values.yaml', '/repo/chart/values-dev.yaml'],
      extraValues: '/tmp/inline',
      skipCrds: false,
      skipSchemaValidation: true,
      skipTests: true,
    });
    expect(args).toEqual([
      'template',
      '.',
      '--name-template',
      'shop',
      '--namespace',
      'shop-dev',
      '--kube-version',
      '1.31.0',
      '--set',
      'image.tag=a\\,b',
      '--set-string',
      'team=007',
      '--set-file',
      'config=/repo/chart/config.txt',
      '--values',
      '/repo/chart/values.yaml',
      '--values',
      '/repo/chart/values-dev.yaml',
      '--values',
      '/tmp/inline',
      '--api-versions',
      'apps/v1',
      '--api-versions',
      'v1',
      '--include-crds',
      '--skip-schema-validation',
      '--skip-tests',
    ]);
  });
});

describe(cleanSetParameters.name, () => {
  it.each([
    ['a,b', 'a\\,b'],
    ['a\\,b', 'a\\,b'],
    ['{a,b}', '{a,b}'],
    ['plain', 'plain'],
  ])('%s → %s', (value, cleaned) => expect(cleanSetParameters(value)).toBe(cleaned));
});

describe(envsubst.name, () => {
  const env = { ARGOCD_APP_NAME: 'shop', ARGOCD_APP_REVISION: 'abc' };
  it.each([
    ['values-$ARGOCD_APP_NAME.yaml', 'values-shop.yaml'],
    ['${ARGOCD_APP_REVISION}-x', 'abc-x'],
    ['$UNKNOWN-x', '-x'],
    ['price: $$5', 'price: $5'],
    ['${}', ''],
    ['${open', 'open'],
    ['$ alone', '$ alone'],
    ['trailing $', 'trailing $'],
  ])('%s → %s (os.Expand)', (text, expanded) => expect(envsubst(text, env)).toBe(expanded));
});
