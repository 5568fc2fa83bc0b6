import { CliUsageError, type FlagSpec, type ParsedFlags, words } from './cli-flags';

/** The argocd CLI's persistent flags (cmd/argocd/commands/root.go). */
export const GLOBAL_FLAGS: FlagSpec = {
  bool: words('insecure plaintext grpc-web core port-forward prompts-enabled help'),
  value: words(
    'server auth-token config loglevel logformat grpc-web-root-path header port-forward-namespace client-crt client-crt-key server-crt kube-context http-retry-max argocd-context server-name controller-name redis-haproxy-name redis-name repo-server-name redis-compress',
  ),
  short: { H: 'header', h: 'help' },
};

/** The global settings a command runs with, after ARGOCD_OPTS, the environment and the flags. */
export interface GlobalOptions {
  /** Container path of the local config (`--config`). */
  configPath: string;
  /** `--server`, defaulting to ARGOCD_SERVER. */
  server: string;
  /** `--auth-token`, defaulting to ARGOCD_AUTH_TOKEN. */
  authToken: string;
  plainText: boolean;
  insecure: boolean;
  grpcWeb: boolean;
  grpcWebRootPath: string;
  context: string;
  logFormat: 'json' | 'text';
  core: boolean;
  portForward: boolean;
}

/**
 * `util/config/env.go` LoadFlags: ARGOCD_OPTS is split like a shell line into `--key value` pairs
 * (a key followed by another key, or last, is "true"; `--key=value` works too); any other word is
 * an error.
 */
export function argocdOpts(text: string): Map<string, string> {
  const flags = new Map<string, string>();
  let key = '';
  for (const opt of shellSplit(text)) {
    if (opt.startsWith('--')) {
      if (key !== '') flags.set(key, 'true');
      key = opt.slice(2);
    } else if (key !== '') {
      flags.set(key, opt);
      key = '';
    } else {
      throw new CliUsageError(`ARGOCD_OPTS invalid at '${opt}'`);
    }
  }
  if (key !== '') flags.set(key, 'true');
  for (const [k, v] of [...flags]) {
    const eq = k.indexOf('=');
    if (eq > 0 && v === 'true' && !flags.has(k.slice(0, eq))) flags.set(k.slice(0, eq), k.slice(eq + 1));
  }
  return flags;
}

/** Global options: flags on the command line win over ARGOCD_OPTS, which wins over the defaults. */
export function globalOptions(
  flags: ParsedFlags,
  opts: ReadonlyMap<string, string>,
  env: ReadonlyMap<string, string>,
  defaultConfigPath: string,
): GlobalOptions {
  const text = (name: string, fallback: string): string => flags.get(name) ?? opts.get(name) ?? fallback;
  const bool = (name: string): boolean =>
    flags.has(name) ? flags.on(name) : (opts.get(name) ?? 'false') === 'true';
  const logFormat = text('logformat', 'json').toLowerCase();
  if (logFormat !== 'json' && logFormat !== 'text') {
    throw new CliUsageError(`Unknown log format '${logFormat}'`);
  }
  return {
    configPath: text('config', defaultConfigPath),
    server: text('server', env.get('ARGOCD_SERVER') ?? ''),
    authToken: text('auth-token', env.get('ARGOCD_AUTH_TOKEN') ?? ''),
    plainText: bool('plaintext'),
    insecure: bool('insecure'),
    grpcWeb: bool('grpc-web'),
    grpcWebRootPath: text('grpc-web-root-path', ''),
    context: flags.get('argocd-context') ?? '',
    logFormat,
    core: bool('core'),
    portForward: bool('port-forward'),
  };
}

/** kballard/go-shellquote Split: words separated by blanks, with '...', "..." and backslashes. */
function shellSplit(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      if (has) out.push(current);
      current = '';
      has = false;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new CliUsageError('Unterminated single-quoted string');
      current += text.slice(i + 1, end);
      has = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j += 1;
        current += text[j];
      }
      if (j >= text.length) throw new CliUsageError('Unterminated double-quoted string');
      has = true;
      i = j;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      has = true;
      i += 1;
    } else {
      current += c;
      has = true;
    }
  }
  if (has) out.push(current);
  return out;
}
