import { ArgoCdApiError, ArgoCdTransportError, type ArgoCdApi } from './argocd-api';
import { appCreate, appSync, appWait } from './argocd-app-commands';
import { appDelete } from './argocd-app-delete';
import { appList } from './argocd-app-list';
import { ArgoCdCliError, newClient, type ClientSetup } from './argocd-client';
import { describeApplication, formatApplication } from './argocd-describe';
import { CliLog } from './argocd-log';
import { defaultConfigPath } from './argocd-local-config';
import { login } from './argocd-login';
import { argocdOpts, GLOBAL_FLAGS, globalOptions } from './argocd-options';
import { sandboxArgoCdEndpoint } from './argocd-transport';
import { CliUsageError, parseFlags, type FlagSpec, type ParsedFlags, words } from './cli-flags';
import { runInterpreted } from './interpreted';
import { emulatesUsers } from '../controller/pods/user-emulation';
import type { StepFiles } from './step-user-files';
import type { CommandHandler, CommandIo } from './command-io';
import type { StepResult, StepRuntime } from './step-runtime';

export { ARGOCD_ERROR_EXIT } from './argocd-log';

const COMMANDS: Record<string, FlagSpec> = {
  login: {
    bool: ['sso', 'skip-test-tls'],
    value: words('username password name sso-port sso-launch-browser callback'),
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
  'app list': {
    bool: [],
    value: words('output selector project repo app-namespace cluster path'),
    short: {
      o: 'output',
      l: 'selector',
      p: 'project',
      r: 'repo',
      N: 'app-namespace',
      c: 'cluster',
      P: 'path',
    },
  },
  'app delete': {
    bool: ['cascade', 'yes', 'wait'],
    value: ['propagation-policy', 'app-namespace', 'selector'],
    short: { y: 'yes', p: 'propagation-policy', N: 'app-namespace', l: 'selector' },
  },
  version: { bool: ['client', 'short'], value: ['output'], short: { o: 'output' } },
};

/**
 * Interprets the argocd CLI image (`quay.io/argoproj/argocd`) against the sandbox Argo CD at
 * `ctx.urls.argocd`, as the real v3 CLI behaves in a pod: global flags from the command line,
 * `ARGOCD_OPTS`, `ARGOCD_SERVER` and `ARGOCD_AUTH_TOKEN`; `argocd login` tests TLS and prompts
 * (no stdin: it dies on EOF), logs in with the account it is given and writes the local config
 * under the image's HOME, which later commands in the same container read; `--plaintext`,
 * `--insecure` and `--grpc-web` decide whether a call gets through (see argocd-transport.ts);
 * errors are logrus lines (JSON by default) and exit code 20. Commands: `login`, `app create`
 * (with `--upsert`, labels, sync policy, `-f file`), `app sync` (waits unless `--async`),
 * `app wait`, `app get` (`-o json|yaml` or the text summary), `app list` (`-o name|wide|json|yaml`),
 * `app delete` (names as `app list -o name` prints them, or `-l`), `version`.
 */
export function runArgoCdCli(rt: StepRuntime): Promise<StepResult> {
  const handler: CommandHandler = (argv, io) => argocd(rt, argv.slice(1), io);
  return runInterpreted(rt, { argocd: handler });
}

async function argocd(rt: StepRuntime, args: string[], io: CommandIo): Promise<number> {
  const started = Date.now();
  const plain = args.filter((a) => !a.startsWith('-'));
  const key = plain[0] === 'app' ? `app ${plain[1] ?? ''}` : (plain[0] ?? '');
  const spec = COMMANDS[key];
  // Before the flags are known, logrus uses its default text format (as when ARGOCD_OPTS is bad).
  let log = new CliLog(io, 'text');
  if (spec === undefined) {
    return log.fatal(
      `unknown command "${key}" for "argocd" (the sandbox interprets ${Object.keys(COMMANDS).join(', ')})`,
    );
  }
  let flags: ParsedFlags;
  let setup: ClientSetup;
  try {
    const opts = argocdOpts(io.env.get('ARGOCD_OPTS') ?? '');
    const withoutCommand = [...args];
    for (const word of key.split(' ')) withoutCommand.splice(withoutCommand.indexOf(word), 1);
    flags = parseFlags(withoutCommand, {
      bool: [...GLOBAL_FLAGS.bool, ...spec.bool],
      value: [...GLOBAL_FLAGS.value, ...spec.value],
      short: { ...GLOBAL_FLAGS.short, ...spec.short },
    });
    // The HOME the step's process has (the image user's passwd entry unless the pod sets one);
    // without one, Go's user.Current() reads the same passwd entry.
    const home = io.env.get('HOME') || rt.identity.home;
    // The CLI's files are its user's; a relative --config is relative to the working directory.
    const files: StepFiles = { hostPath: io.resolvePath, user: emulatesUsers() ? rt.identity : undefined };
    const options = globalOptions(flags, opts, io.env, defaultConfigPath(io.env, home, io.resolvePath));
    log = new CliLog(io, options.logFormat);
    if (options.core || options.portForward) {
      return log.fatal('the sandbox does not emulate --core or --port-forward: give the server address');
    }
    if (rt.ctx.urls.argocd === '') return log.fatal('the sandbox Argo CD server is not running');
    setup = {
      options,
      env: io.env,
      endpoint: sandboxArgoCdEndpoint(rt),
      baseUrl: rt.ctx.urls.argocd,
      signal: rt.signal,
      log,
      files,
    };
  } catch (error) {
    if (error instanceof CliUsageError) return log.fatal(error.message);
    throw error;
  }
  try {
    switch (key) {
      case 'login':
        return await login(setup, flags, io);
      case 'version':
        io.out('argocd: v3.5.1+sandbox\n');
        if (flags.on('client')) return 0;
        await newClient(setup);
        io.out('argocd-server: v3.5.1+sandbox\n');
        return 0;
      default:
        return await appCommand(rt, key, (await newClient(setup)).api, flags, io, log, started);
    }
  } catch (error) {
    if (
      error instanceof ArgoCdApiError ||
      error instanceof ArgoCdTransportError ||
      error instanceof ArgoCdCliError ||
      error instanceof CliUsageError
    ) {
      return log.fatal(error.message);
    }
    throw error;
  }
}

async function appCommand(
  rt: StepRuntime,
  key: string,
  api: ArgoCdApi,
  flags: ParsedFlags,
  io: CommandIo,
  log: CliLog,
  started: number,
): Promise<number> {
  const fatal = (message: string): number => log.fatal(message);
  const name = flags.positionals[0];
  const needName = (): string => {
    if (name === undefined || name === '') throw new CliUsageError(`${key} requires an application name`);
    return name;
  };
  switch (key) {
    case 'app create':
      return appCreate(api, flags, io);
    case 'app sync':
      return appSync(rt, api, needName(), flags, io, fatal, started);
    case 'app wait':
      return appWait(rt, api, needName(), flags, io, fatal, started);
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
    case 'app list':
      return appList(api, flags, io);
    case 'app delete':
      return appDelete(rt, api, flags, io);
    default:
      return fatal(`unknown command "${key}"`);
  }
}
