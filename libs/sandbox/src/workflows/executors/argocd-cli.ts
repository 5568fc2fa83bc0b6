import { ArgoCdApi, ArgoCdApiError } from './argocd-api';
import { appCreate, appSync, appWait } from './argocd-app-commands';
import { describeApplication, formatApplication } from './argocd-describe';
import { CliUsageError, parseFlags, type FlagSpec, type ParsedFlags, words } from './cli-flags';
import { runInterpreted } from './interpreted';
import type { CommandHandler, CommandIo } from './command-io';
import type { StepResult, StepRuntime } from './step-runtime';

/** Exit code of the real CLI for any failure (argocd's ErrorGeneric). */
export const ARGOCD_ERROR_EXIT = 20;

const GLOBAL: FlagSpec = {
  bool: words('insecure plaintext grpc-web core port-forward help'),
  value: words(
    'server auth-token config loglevel logformat grpc-web-root-path header port-forward-namespace client-crt client-crt-key server-crt kube-context http-retry-max argocd-context',
  ),
  short: { H: 'header', h: 'help' },
};

const COMMANDS: Record<string, FlagSpec> = {
  login: {
    bool: ['sso', 'skip-test-tls'],
    value: words('username password name sso-port sso-launch-browser'),
  },
  'app create': {
    bool: words('upsert validate auto-prune self-heal allow-empty directory-recurse set-finalizer'),
    value: words(
      'repo path revision dest-server dest-name dest-namespace project sync-policy sync-option label annotations values values-literal-file helm-set helm-set-string release-name directory-include directory-exclude revision-history-limit file app-namespace name-prefix name-suffix kustomize-image sync-retry-limit',
    ),
    short: { l: 'label', f: 'file', N: 'app-namespace' },
  },
  'app sync': {
    bool: words(
      'prune dry-run async force apply-out-of-sync-only preview-changes server-side replace assumeYes',
    ),
    value: words('revision timeout retry-limit resource label strategy app-namespace project info'),
    short: { l: 'label', N: 'app-namespace' },
  },
  'app wait': {
    bool: words('health sync operation suspended degraded'),
    value: words('timeout resource selector app-namespace'),
    short: { l: 'selector', N: 'app-namespace' },
  },
  'app get': {
    bool: words('refresh hard-refresh show-params show-operation'),
    value: ['output', 'app-namespace', 'timeout'],
    short: { o: 'output', N: 'app-namespace' },
  },
  'app delete': {
    bool: ['cascade', 'yes', 'wait'],
    value: ['propagation-policy', 'app-namespace', 'selector'],
    short: { y: 'yes', p: 'propagation-policy', N: 'app-namespace', l: 'selector' },
  },
  version: { bool: ['client', 'short'], value: ['output'], short: { o: 'output' } },
  logout: { bool: [], value: [] },
};

/**
 * Interprets the argocd CLI image (`quay.io/argoproj/argocd`) against the sandbox Argo CD at
 * `ctx.urls.argocd`: `argocd login` (the session is opened with the sandbox's configured admin
 * credentials, whatever the script passes), `app create` (with `--upsert`, labels, sync policy,
 * `-f file`), `app sync` (waits for the operation unless `--async`), `app wait` (`--health`,
 * `--sync`, `--operation`, `--timeout`), `app get` (`-o json|yaml` or the text summary) and
 * `app delete`. Without a prior login, a command needs `--server`/`ARGOCD_SERVER` or
 * `--auth-token`/`ARGOCD_AUTH_TOKEN`, as with the real CLI.
 */
export function runArgoCdCli(rt: StepRuntime): Promise<StepResult> {
  const api = new ArgoCdApi(rt.ctx.urls.argocd, rt.signal);
  const handler: CommandHandler = (argv, io) => argocd(rt, api, argv.slice(1), io);
  return runInterpreted(rt, { argocd: handler });
}

async function argocd(rt: StepRuntime, api: ArgoCdApi, args: string[], io: CommandIo): Promise<number> {
  const started = Date.now();
  const fatal = (message: string): number => {
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    io.err(`time="${time}" level=fatal msg="${message.replace(/"/g, '\\"')}"\n`);
    return ARGOCD_ERROR_EXIT;
  };
  const words = args.filter((a) => !a.startsWith('-'));
  const key = words[0] === 'app' ? `app ${words[1] ?? ''}` : (words[0] ?? '');
  const spec = COMMANDS[key];
  if (spec === undefined)
    return fatal(
      `unknown command "${key}" for "argocd" (the sandbox interprets ${Object.keys(COMMANDS).join(', ')})`,
    );
  let flags: ParsedFlags;
  try {
    const withoutCommand = [...args];
    for (const word of key.split(' ')) withoutCommand.splice(withoutCommand.indexOf(word), 1);
    flags = parseFlags(withoutCommand, {
      bool: [...GLOBAL.bool, ...spec.bool],
      value: [...GLOBAL.value, ...spec.value],
      short: { ...GLOBAL.short, ...spec.short },
    });
  } catch (error) {
    if (error instanceof CliUsageError) return fatal(error.message);
    throw error;
  }
  if (rt.ctx.urls.argocd === '')
    return fatal('the sandbox Argo CD server is not running (ctx.urls.argocd is empty)');
  try {
    switch (key) {
      case 'version':
        io.out(`argocd: v3.5.1+sandbox\n`);
        return 0;
      case 'logout':
        return 0;
      case 'login':
        await api.login(rt.ctx.config.argocdUsername, rt.ctx.config.argocdPassword);
        io.out(
          `'${rt.ctx.config.argocdUsername}:login' logged in successfully\nContext '${flags.positionals[0] ?? rt.ctx.urls.argocd}' updated\n`,
        );
        return 0;
      default:
        break;
    }
    if (!api.loggedIn) {
      const addressed =
        flags.has('server') ||
        flags.has('auth-token') ||
        io.env.has('ARGOCD_SERVER') ||
        io.env.has('ARGOCD_AUTH_TOKEN');
      if (!addressed) return fatal('Argo CD server address unspecified');
      await api.login(rt.ctx.config.argocdUsername, rt.ctx.config.argocdPassword);
    }
    const name = flags.positionals[0];
    const needName = (): string => {
      if (name === undefined || name === '') throw new CliUsageError(`${key} requires an application name`);
      return name;
    };
    switch (key) {
      case 'app create':
        return await appCreate(api, flags, io);
      case 'app sync':
        return await appSync(rt, api, needName(), flags, io, fatal, started);
      case 'app wait':
        return await appWait(rt, api, needName(), flags, io, fatal, started);
      case 'app get': {
        const app = await api.getApplication(
          needName(),
          flags.on('hard-refresh') ? 'hard' : flags.on('refresh') ? 'normal' : undefined,
        );
        const output = flags.get('output') ?? 'wide';
        io.out(
          output === 'json' || output === 'yaml'
            ? formatApplication(app, output)
            : describeApplication(app, rt.ctx.urls.argocd),
        );
        return 0;
      }
      case 'app delete':
        await api.deleteApplication(needName(), flags.get('cascade') !== 'false');
        return 0;
      default:
        return fatal(`unknown command "${key}"`);
    }
  } catch (error) {
    if (error instanceof ArgoCdApiError || error instanceof CliUsageError) return fatal(error.message);
    throw error;
  }
}
