import { ArgoCdApi } from './argocd-api';
import type { CliLog } from './argocd-log';
import { readLocalConfig, resolveContext } from './argocd-local-config';
import type { GlobalOptions } from './argocd-options';
import type { StepFiles } from './step-user-files';
import {
  GRPC_METHODS,
  grpcWebError,
  nativeGrpcError,
  type Connection,
  type ServerEndpoint,
} from './argocd-transport';

/** A failure the CLI reports with `log.Fatal` (the message as printed). */
export class ArgoCdCliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgoCdCliError';
  }
}

export interface ClientSetup {
  options: GlobalOptions;
  env: ReadonlyMap<string, string>;
  endpoint: ServerEndpoint;
  /** The sandbox Argo CD's base URL, where every server address resolves to. */
  baseUrl: string;
  signal: AbortSignal;
  log: CliLog;
  /** The step's files, read and written as its user. */
  files: StepFiles;
  /** Login's client reads no local config (its ConfigPath is ""). */
  withoutLocalConfig?: boolean;
}

/**
 * `apiclient.NewClient`: the server, token and connection settings from the current context of
 * the local config, then ARGOCD_SERVER / ARGOCD_AUTH_TOKEN, then the flags. Without `--grpc-web`
 * the CLI first tries native gRPC; when that fails and gRPC-web works it warns and goes on with
 * gRPC-web, otherwise later calls fail as native gRPC does.
 */
export async function newClient(setup: ClientSetup): Promise<{ api: ArgoCdApi; connection: Connection }> {
  const { options, env, endpoint, log } = setup;
  const connection: Connection = {
    server: '',
    plainText: false,
    insecure: false,
    grpcWeb: false,
    grpcWebRootPath: '',
  };
  let token = '';
  if (setup.withoutLocalConfig !== true) {
    const config = await readConfig(setup.files, options.configPath);
    if (config !== undefined) {
      const context = resolveOrFail(() => resolveContext(config, options.context));
      connection.server = context.server.server;
      connection.plainText = context.server['plain-text'] === true;
      connection.insecure = context.server.insecure === true;
      connection.grpcWeb = context.server['grpc-web'] === true;
      connection.grpcWebRootPath = context.server['grpc-web-root-path'];
      token = context.authToken;
    }
  }
  connection.server = env.get('ARGOCD_SERVER') || connection.server;
  if (options.server !== '') connection.server = options.server;
  if (connection.server === '') throw new ArgoCdCliError('Argo CD server address unspecified');
  token = env.get('ARGOCD_AUTH_TOKEN') || token;
  if (options.authToken !== '') token = options.authToken.trim();
  connection.plainText ||= options.plainText;
  connection.insecure ||= options.insecure;
  connection.grpcWeb ||= options.grpcWeb;
  if (options.grpcWebRootPath !== '') connection.grpcWebRootPath = options.grpcWebRootPath;
  if (!connection.grpcWeb) {
    if (!connection.server.includes(':')) connection.server += ':443';
    // Native gRPC's Version call fails against an HTTP/1 server; try gRPC-web instead.
    if (grpcWebError(endpoint, { ...connection, grpcWeb: true }, GRPC_METHODS.version) === undefined) {
      connection.grpcWeb = true;
      log.warn(
        'Failed to invoke grpc call. Use flag --grpc-web in grpc calls. To avoid this warning message, use flag --grpc-web.',
      );
    }
  }
  const transport = (method: string): string | undefined =>
    connection.grpcWeb || connection.grpcWebRootPath !== ''
      ? grpcWebError(endpoint, connection, method)
      : nativeGrpcError(endpoint, connection);
  return { api: new ArgoCdApi(setup.baseUrl, setup.signal, transport, token), connection };
}

async function readConfig(files: StepFiles, file: string): ReturnType<typeof readLocalConfig> {
  try {
    return await readLocalConfig(files, file);
  } catch (error) {
    throw new ArgoCdCliError((error as Error).message);
  }
}

function resolveOrFail<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    throw new ArgoCdCliError((error as Error).message);
  }
}
