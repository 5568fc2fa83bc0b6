import { decodeJwt } from 'jose';
import { ArgoCdCliError, newClient, type ClientSetup } from './argocd-client';
import { readLocalConfig, upsertLogin, writeLocalConfig, type LocalServer } from './argocd-local-config';
import { testTls } from './argocd-transport';
import type { ParsedFlags } from './cli-flags';
import type { CommandIo } from './command-io';

/** A step's container has no stdin: the CLI's prompts read EOF, and it exits with `log.Fatal(EOF)`. */
export const NO_STDIN = 'EOF';

/**
 * `argocd login SERVER` (cmd/argocd/commands/login.go): unless `--skip-test-tls`, it first tests
 * the server's TLS and asks before going on without TLS (server without TLS, no `--plaintext`) or
 * without verification (untrusted certificate, no `--insecure`); a prompt in a pod reads EOF and
 * the login dies. It then asks for a missing username or password the same way, creates a session
 * with the credentials given, and records server, token and context in the local config.
 */
export async function login(setup: ClientSetup, flags: ParsedFlags, io: CommandIo): Promise<number> {
  const { options, endpoint } = setup;
  const server = flags.positionals[0];
  if (flags.positionals.length !== 1 || server === undefined) {
    io.out('Log in to Argo CD\n\nUsage:\n  argocd login SERVER [flags]\n');
    return 1;
  }
  // A "y" would turn these on; a pod cannot answer, so they stay as given.
  const { plainText, insecure } = options;
  if (!flags.on('skip-test-tls')) {
    const result = testTls(endpoint);
    if (!result.tls) {
      if (!plainText) return prompt(io, 'WARNING: server is not configured with TLS. Proceed (y/n)? ', setup);
    } else if (result.insecureErr !== undefined && !insecure) {
      return prompt(
        io,
        `WARNING: server certificate had error: ${result.insecureErr}. Proceed insecurely (y/n)? `,
        setup,
      );
    }
  }
  const root = options.grpcWebRootPath.replace(/^\/+|\/+$/g, '');
  const contextName = flags.get('name') || (root === '' ? server : `${server}/${root}`);
  const { api } = await newClient({
    ...setup,
    options: { ...options, server, plainText, insecure },
    withoutLocalConfig: true,
  });
  const username = flags.get('username') ?? '';
  if (username === '') return prompt(io, 'Username: ', setup);
  const password = flags.get('password') ?? '';
  if (password === '') return prompt(io, 'Password: ', setup);
  const token = await api.createSession(username, password);
  io.out(`'${displayName(token)}' logged in successfully\n`);

  const record: LocalServer = { server, 'grpc-web-root-path': options.grpcWebRootPath };
  if (plainText) record['plain-text'] = true;
  if (insecure) record.insecure = true;
  if (options.grpcWeb) record['grpc-web'] = true;
  try {
    const config = await readLocalConfig(setup.files, options.configPath);
    await writeLocalConfig(setup.files, options.configPath, upsertLogin(config, record, contextName, token));
  } catch (error) {
    // LocalConfigError, or the step's user may not read or write it (StepFileError): log.Fatal.
    throw new ArgoCdCliError((error as Error).message);
  }
  io.out(`Context '${contextName}' updated\n`);
  return 0;
}

/** `cli.AskToProceed` / `PromptMessage` with no stdin: the question, then `log.Fatal(EOF)`. */
function prompt(io: CommandIo, question: string, setup: ClientSetup): number {
  io.out(question);
  return setup.log.fatal(NO_STDIN);
}

/** `userDisplayName`: email, name, else the subject (`<account>:login` for a local account). */
function displayName(token: string): string {
  const claims = decodeJwt(token);
  for (const key of ['email', 'name', 'sub']) {
    const value = claims[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
}
