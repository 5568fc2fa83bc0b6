import { spawn } from 'node:child_process';

export interface RemoteCredentials {
  username?: string;
  password?: string;
  /** Only URLs on this origin (the sandbox git server) get the credentials. */
  origin?: string;
}

const TIMEOUT_MS = 15_000;

/**
 * `git ls-remote <url>`: the refs of a remote as ref → commit, or the first line of git's error.
 * Runs without the machine's git configuration and never prompts.
 */
export async function lsRemote(
  url: string,
  credentials: RemoteCredentials = {},
): Promise<Map<string, string>> {
  const { code, stdout, stderr } = await git(['ls-remote', withCredentials(url, credentials)]);
  if (code !== 0) {
    const line = stderr.split('\n').find((l) => l.trim() !== '') ?? `exit code ${code}`;
    throw new Error(line.replace(/^fatal: /, '').replace(/\/\/[^/@]*@/, '//'));
  }
  const refs = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [sha, ref] = line.split('\t');
    if (sha !== undefined && ref !== undefined) refs.set(ref, sha);
  }
  return refs;
}

/** The commit a branch, tag, `HEAD` or full SHA names on the remote (repo-server's ResolveRevision). */
export async function resolveRevision(
  url: string,
  revision: string,
  credentials: RemoteCredentials = {},
): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(revision)) return revision;
  const refs = await lsRemote(url, credentials);
  const wanted = revision === '' ? 'HEAD' : revision;
  const sha =
    refs.get(wanted) ??
    refs.get(`refs/heads/${wanted}`) ??
    refs.get(`refs/tags/${wanted}^{}`) ??
    refs.get(`refs/tags/${wanted}`);
  if (sha === undefined) throw new Error(`unable to resolve '${wanted}' to a commit SHA`);
  return sha;
}

function withCredentials(url: string, credentials: RemoteCredentials): string {
  if (
    credentials.username === undefined ||
    credentials.password === undefined ||
    credentials.origin === undefined
  )
    return url;
  try {
    const parsed = new URL(url);
    if (parsed.origin !== new URL(credentials.origin).origin || parsed.username !== '') return url;
    parsed.username = credentials.username;
    parsed.password = credentials.password;
    return parsed.toString();
  } catch {
    return url;
  }
}

function git(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('git', args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: 'C',
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
      },
      timeout: TIMEOUT_MS,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => resolve({ code: 1, stdout: '', stderr: error.message }));
    child.on('close', (code) =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}
