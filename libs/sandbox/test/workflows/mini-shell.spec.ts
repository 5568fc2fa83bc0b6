import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimClock } from '../../src/core/sim-clock';
import {
  MiniShell,
  UnknownCommandError,
  type CommandHandler,
} from '../../src/workflows/executors/mini-shell';
import { ShellSyntaxError } from '../../src/workflows/executors/shell-syntax';

function shell(env: Record<string, string> = {}, errexit = false) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mini-shell-'));
  const calls: Array<{ argv: string[]; env: Record<string, string> }> = [];
  let out = '';
  let err = '';
  const record: CommandHandler = (argv, io) => {
    calls.push({ argv, env: Object.fromEntries(io.env) });
    io.out(`ran ${argv.slice(1).join(' ')}\n`);
    return Promise.resolve(argv.includes('--fail') ? 20 : 0);
  };
  const sh = new MiniShell({
    env,
    cwd: '/work',
    toHost: (p) => path.join(root, p),
    commands: { argocd: record },
    out: (t) => (out += t),
    err: (t) => (err += t),
    signal: new AbortController().signal,
    clock: new SimClock(1000),
    errexit,
  });
  return { sh, calls, root, output: () => out, errors: () => err };
}

describe(MiniShell.name, () => {
  it('expands variables, defaults and quotes like sh, splitting unquoted expansions', async () => {
    const { sh, calls } = shell({ APP: 'payments', LABELS: 'a=1 b=2', EMPTY: '' });
    const code = await sh.run(
      [
        '# create the app',
        'REPO=http://git/${APP}.git',
        'argocd app create "$APP" --repo $REPO \\',
        '  --path \'$literal\' --dest-namespace "${APP}-dev" --x ${MISSING:-fallback} ${EMPTY:-e} $LABELS "$LABELS" \'\'',
      ].join('\n'),
    );
    expect(code).toBe(0);
    expect(calls[0]?.argv).toEqual([
      'argocd',
      'app',
      'create',
      'payments',
      '--repo',
      'http://git/payments.git',
      '--path',
      '$literal',
      '--dest-namespace',
      'payments-dev',
      '--x',
      'fallback',
      'e',
      'a=1',
      'b=2',
      'a=1 b=2',
      '',
    ]);
  });

  it('passes prefix assignments and exports as the environment', async () => {
    const { sh, calls } = shell();
    await sh.run('export ARGOCD_SERVER=cd.local\nTOKEN=x argocd version');
    expect(calls[0]?.env).toMatchObject({ ARGOCD_SERVER: 'cd.local', TOKEN: 'x' });
  });

  it('follows && / || and stops at the first failure under set -e', async () => {
    const { sh, calls, output } = shell();
    const code = await sh.run(
      'argocd a --fail || echo recovered\nargocd b && argocd c --fail\nset -e\nargocd d --fail\necho never',
    );
    expect(code).toBe(20);
    expect(calls.map((c) => c.argv[1])).toEqual(['a', 'b', 'c', 'd']);
    expect(output()).toContain('recovered\n');
    expect(output()).not.toContain('never');
  });

  it('returns the last status without set -e, and honours exit', async () => {
    expect(await shell().sh.run('argocd x --fail\necho after')).toBe(0);
    expect(await shell().sh.run('echo a; exit 3; echo b')).toBe(3);
  });

  it('redirects output to files (mapped to host paths) and to stderr', async () => {
    const { sh, root, output, errors } = shell();
    await sh.run(
      'argocd app get x > /tmp/app.json\necho more >> /tmp/app.json\necho oops >&2\necho quiet 2>/dev/null',
    );
    expect(readFileSync(path.join(root, '/tmp/app.json'), 'utf8')).toBe('ran app get x\nmore\n');
    expect(errors()).toBe('oops\n');
    expect(output()).toBe('quiet\n');
  });

  it('refuses what it cannot interpret before running anything', async () => {
    const { sh, calls } = shell();
    await expect(sh.run('argocd app list | grep x')).rejects.toThrow(ShellSyntaxError);
    await expect(sh.run('argocd a\nVERSION=$(argocd version)')).rejects.toThrow(
      "'$(...)' (command substitution) is not supported",
    );
    await expect(sh.run('if true; then argocd a; fi')).rejects.toThrow(
      "'if' (compound commands) is not supported",
    );
    await expect(sh.run('argocd a\njq .status app.json')).rejects.toThrow(new UnknownCommandError('jq'));
    expect(calls).toEqual([]);
  });

  it('reports an unset variable under set -u as sh does', async () => {
    const { sh, errors } = shell();
    expect(await sh.run('set -eu\necho "$NOPE"')).toBe(2);
    expect(errors()).toBe('sh: NOPE: parameter not set\n');
  });
});
