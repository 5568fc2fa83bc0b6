import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { readFileAsStepUser, writeFileAsStepUser, type StepFiles } from './step-user-files';

/** `~/.config/argocd/config` (util/localconfig/localconfig.go). */
export interface LocalConfig {
  'current-context': string;
  contexts: Array<{ name: string; server: string; user: string }>;
  servers: LocalServer[];
  users: Array<{ name: string; 'auth-token'?: string; 'refresh-token'?: string }>;
  'prompts-enabled': boolean;
}

export interface LocalServer {
  server: string;
  insecure?: boolean;
  'grpc-web'?: boolean;
  'grpc-web-root-path': string;
  'plain-text'?: boolean;
  core?: boolean;
}

/** What a context resolves to. */
export interface ResolvedContext {
  name: string;
  server: LocalServer;
  authToken: string;
}

export class LocalConfigError extends Error {}

/**
 * `DefaultLocalConfigPath`: `$ARGOCD_CONFIG_DIR/config`, else `~/.argocd/config` when that legacy
 * folder exists, else `$XDG_CONFIG_HOME/argocd/config`, else `~/.config/argocd/config`.
 * `containerPath` maps a container path to the file that backs it.
 */
export function defaultConfigPath(
  env: ReadonlyMap<string, string>,
  home: string,
  containerPath: (p: string) => string,
): string {
  const dir = env.get('ARGOCD_CONFIG_DIR');
  if (dir !== undefined && dir !== '') return path.posix.join(dir, 'config');
  const legacy = path.posix.join(home, '.argocd');
  if (existsSync(containerPath(legacy))) return path.posix.join(legacy, 'config');
  const xdg = env.get('XDG_CONFIG_HOME');
  if (xdg !== undefined && xdg !== '') return path.posix.join(xdg, 'argocd', 'config');
  return path.posix.join(home, '.config', 'argocd', 'config');
}

/**
 * `ReadLocalConfig`, as the step's user: undefined when the file does not exist; 0600/0400
 * permissions required.
 */
export async function readLocalConfig(files: StepFiles, file: string): Promise<LocalConfig | undefined> {
  let mode: number;
  try {
    mode = (await stat(files.hostPath(file))).mode & 0o777;
  } catch {
    return undefined;
  }
  if (mode !== 0o600 && mode !== 0o400) {
    throw new LocalConfigError(
      `config file has incorrect permission flags ${goPermString(mode)}, change the file permission either to 0400 or 0600`,
    );
  }
  let parsed: Partial<LocalConfig>;
  const text = await readFileAsStepUser(files, file);
  if (text === undefined) return undefined;
  try {
    parsed = (YAML.parse(text) ?? {}) as Partial<LocalConfig>;
  } catch (error) {
    throw new LocalConfigError(`failed to parse config file: ${(error as Error).message}`);
  }
  const config: LocalConfig = {
    'current-context': parsed['current-context'] ?? '',
    contexts: parsed.contexts ?? [],
    servers: parsed.servers ?? [],
    users: parsed.users ?? [],
    'prompts-enabled': parsed['prompts-enabled'] ?? false,
  };
  if (config['current-context'] !== '') resolveContext(config, '');
  return config;
}

/** `ResolveContext`: the named (or current) context with its server and user. */
export function resolveContext(config: LocalConfig, name: string): ResolvedContext {
  const wanted = name === '' ? config['current-context'] : name;
  if (wanted === '') throw new LocalConfigError('local config: current-context unset');
  const context = config.contexts.find((c) => c.name === wanted);
  if (context === undefined) throw new LocalConfigError(`Context '${wanted}' undefined`);
  const server = config.servers.find((s) => s.server === context.server);
  if (server === undefined) throw new LocalConfigError(`Server '${context.server}' undefined`);
  const user = config.users.find((u) => u.name === context.user);
  if (user === undefined) throw new LocalConfigError(`User '${context.user}' undefined`);
  return { name: context.name, server, authToken: user['auth-token'] ?? '' };
}

/** What `argocd login` records: the server, the user's token and the context, made current. */
export function upsertLogin(
  config: LocalConfig | undefined,
  server: LocalServer,
  contextName: string,
  authToken: string,
): LocalConfig {
  const next: LocalConfig = config ?? {
    'current-context': '',
    contexts: [],
    servers: [],
    users: [],
    'prompts-enabled': false,
  };
  upsert(next.servers, (s) => s.server === server.server, server);
  upsert(next.users, (u) => u.name === contextName, { name: contextName, 'auth-token': authToken });
  upsert(next.contexts, (c) => c.name === contextName, {
    name: contextName,
    server: server.server,
    user: contextName,
  });
  next['current-context'] = contextName;
  return next;
}

/**
 * `WriteLocalConfig` (`os.MkdirAll` of its folder, `os.WriteFile(path, yaml, 0600)`) as the step's
 * user: sigs.k8s.io/yaml (keys sorted, empty fields omitted as tagged).
 */
export async function writeLocalConfig(files: StepFiles, file: string, config: LocalConfig): Promise<void> {
  const text = YAML.stringify(config, { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
  await writeFileAsStepUser(files, file, text, 0o600);
}

function upsert<T>(list: T[], same: (item: T) => boolean, item: T): void {
  const index = list.findIndex(same);
  if (index >= 0) list[index] = item;
  else list.push(item);
}

/** Go's `os.FileMode.String()` of permission bits: `-rw-r--r--`. */
function goPermString(mode: number): string {
  const bits = 'rwxrwxrwx';
  let out = '-';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}
