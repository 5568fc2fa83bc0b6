import { applicationFromFlags } from '../../src/argo-workflows/executors/argocd-app-commands';
import { CliUsageError, parseFlags } from '../../src/argo-workflows/executors/cli-flags';

const CREATE = {
  bool: ['upsert', 'auto-prune', 'self-heal', 'directory-recurse'],
  value: [
    'repo',
    'path',
    'revision',
    'dest-server',
    'dest-namespace',
    'project',
    'sync-policy',
    'sync-option',
    'label',
    'values',
    'helm-set',
  ],
  short: { l: 'label' },
};

describe('argocd app create flags', () => {
  it('builds the Application the CLI sends', () => {
    const flags = parseFlags(
      [
        'payments',
        '--repo',
        'http://git/payments-manifests.git',
        '--path=chart',
        '--revision',
        'main',
        '--dest-server',
        'https://kubernetes.default.svc',
        '--dest-namespace',
        'payments-dev',
        '--project',
        'default',
        '--sync-policy',
        'automated',
        '--auto-prune',
        '--self-heal',
        '--sync-option',
        'CreateNamespace=true',
        '-l',
        'platform-api/app=payments',
        '--label=platform-api/team=team-a',
        '--values',
        'values-dev.yaml',
        '--helm-set',
        'image.tag=1.2.3',
        '--upsert',
      ],
      CREATE,
    );
    expect(flags.on('upsert')).toBe(true);
    expect(applicationFromFlags(flags)).toEqual({
      metadata: {
        name: 'payments',
        labels: { 'platform-api/app': 'payments', 'platform-api/team': 'team-a' },
      },
      spec: {
        project: 'default',
        source: {
          repoURL: 'http://git/payments-manifests.git',
          path: 'chart',
          targetRevision: 'main',
          helm: { valueFiles: ['values-dev.yaml'], parameters: [{ name: 'image.tag', value: '1.2.3' }] },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'payments-dev' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    });
  });

  it('rejects unknown flags and missing values as cobra does', () => {
    expect(() => parseFlags(['x', '--nope'], CREATE)).toThrow(new CliUsageError('unknown flag: --nope'));
    expect(() => parseFlags(['x', '--repo'], CREATE)).toThrow(
      new CliUsageError('flag needs an argument: --repo'),
    );
    expect(() => parseFlags(['x', '-z'], CREATE)).toThrow(
      new CliUsageError("unknown shorthand flag: 'z' in -z"),
    );
  });

  it('treats --flag=false as off and keeps the last value of a repeated flag', () => {
    const flags = parseFlags(['--upsert=false', '--revision', 'a', '--revision', 'b'], {
      ...CREATE,
      value: [...CREATE.value],
    });
    expect(flags.on('upsert')).toBe(false);
    expect(flags.get('revision')).toBe('b');
    expect(flags.all('revision')).toEqual(['a', 'b']);
  });
});
