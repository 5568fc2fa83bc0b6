import { spawn } from 'node:child_process';
import type { RepoCredentials } from './repo-credentials';

const TIMEOUT_MS = 15_000;
/** What go-git sends as its User-Agent (capability.DefaultAgent). */
const GO_GIT_AGENT = 'go-git/5.x';

/**
 * The refs of a remote as ref → commit (`HEAD`, `refs/heads/x`, `refs/tags/t` and peeled
 * `refs/tags/t^{}`), as Argo CD lists them: with go-git over HTTP(S) (argoproj/argo-cd
 * `util/git/workaround.go` listRemote), so failures read as go-git words them
 * (go-git/go-git `plumbing/transport/http/common.go` NewErr): `authentication required: <body>`
 * for 401, `authorization failed: <body>` for 403, `repository not found: <body>` for 404,
 * `remote repository is empty` for a repository without commits. Other URLs (local paths in tests)
 * are listed with `git ls-remote`.
 */
export async function lsRemote(url: string, credentials?: RepoCredentials): Promise<Map<string, string>> {
  if (/^https?:\/\//i.test(url)) return goGitLsRemote(url, credentials);
  const { code, stdout, stderr } = await git(['ls-remote', url]);
  if (code !== 0) {
    const line = stderr.split('\n').find((l) => l.trim() !== '') ?? `exit code ${code}`;
    throw new Error(line.replace(/^fatal: /, ''));
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
  credentials?: RepoCredentials,
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

async function goGitLsRemote(url: string, credentials?: RepoCredentials): Promise<Map<string, string>> {
  const endpoint = new URL(url);
  // go-git takes a login from the URL when it was given no other.
  const login =
    credentials ??
    (endpoint.username === ''
      ? undefined
      : { username: decodeURIComponent(endpoint.username), password: decodeURIComponent(endpoint.password) });
  endpoint.username = '';
  endpoint.password = '';
  const infoRefs = `${endpoint.toString().replace(/\/$/, '')}/info/refs?service=git-upload-pack`;
  const headers: Record<string, string> = { 'user-agent': GO_GIT_AGENT, accept: '*/*' };
  if (login !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
  }
  let res: Response;
  try {
    res = await fetch(infoRefs, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    // net/http's words for a request that got no answer.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      cause?.code === 'ECONNREFUSED'
        ? `dial tcp ${endpoint.host}: connect: connection refused`
        : (cause?.message ?? (error as Error).message);
    throw new Error(`Get "${infoRefs}": ${reason}`, { cause: error });
  }
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status === 401) throw new Error(`authentication required: ${body.toString('utf8')}`);
  if (res.status === 403) throw new Error(`authorization failed: ${body.toString('utf8')}`);
  if (res.status === 404) throw new Error(`repository not found: ${body.toString('utf8')}`);
  if (res.status < 200 || res.status >= 300) {
    throw new Error(
      `unexpected client error: unexpected requesting "${infoRefs}" status code: ${res.status}`,
    );
  }
  const refs = parseAdvertisement(body);
  if (refs.size === 0) throw new Error('remote repository is empty');
  return refs;
}

/** The refs of a smart-HTTP v0 advertisement: `# service=` pkt, flush, then `<sha> <ref>[\0caps]`. */
function parseAdvertisement(body: Buffer): Map<string, string> {
  const refs = new Map<string, string>();
  let offset = 0;
  while (offset + 4 <= body.length) {
    const length = Number.parseInt(body.subarray(offset, offset + 4).toString('latin1'), 16);
    if (Number.isNaN(length)) break;
    if (length === 0) {
      offset += 4;
      continue;
    }
    const line = body
      .subarray(offset + 4, offset + length)
      .toString('utf8')
      .replace(/\n$/, '');
    offset += length;
    if (line.startsWith('#')) continue;
    const [ref = ''] = line.split('\0');
    const space = ref.indexOf(' ');
    const sha = ref.slice(0, space);
    const name = ref.slice(space + 1);
    if (space > 0 && !/^0+$/.test(sha)) refs.set(name, sha);
  }
  return refs;
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
