/** A username and password (or robot secret) for a registry. */
export interface RegistryCredential {
  username: string;
  password: string;
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
}

export class DockerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerConfigError';
  }
}

/**
 * The `auths` of a docker config file (`config.json`, or a `kubernetes.io/dockerconfigjson`
 * Secret's `.dockerconfigjson`) as docker/cli's configfile loads them: `auth` (base64
 * `user:password`) wins over `username`/`password`; a malformed `auth` fails the whole file.
 */
export function parseDockerConfig(text: string, source: string): Map<string, RegistryCredential> {
  let doc: { auths?: Record<string, AuthEntry> };
  try {
    doc = JSON.parse(text) as { auths?: Record<string, AuthEntry> };
  } catch (error) {
    throw new DockerConfigError(`loading config file: ${source}: ${(error as Error).message}`);
  }
  const out = new Map<string, RegistryCredential>();
  for (const [key, entry] of Object.entries(doc.auths ?? {})) {
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0)
        throw new DockerConfigError(`loading config file: ${source}: Invalid auth configuration file`);
      out.set(key, {
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1).replace(/\0+$/, ''),
      });
    } else if (typeof entry.username === 'string' || typeof entry.password === 'string') {
      out.set(key, {
        username: typeof entry.username === 'string' ? entry.username : '',
        password: typeof entry.password === 'string' ? entry.password : '',
      });
    }
  }
  return out;
}

/**
 * The credential go-containerregistry's default keychain picks for a repository (what kaniko and
 * BuildKit use): the entry keyed by the repository (`host/team/app`), else by the registry host,
 * else any entry whose key names that host with a scheme or path (`https://host/v1/`).
 * Undefined: push anonymously.
 */
export function keychainCredential(
  auths: Map<string, RegistryCredential>,
  repository: string,
  host: string,
): RegistryCredential | undefined {
  for (const key of [repository, host]) {
    const exact = auths.get(key);
    if (exact !== undefined) return exact;
    for (const [entry, credential] of auths) if (hostnameOf(entry) === key) return credential;
  }
  return undefined;
}

/**
 * The credentials the kubelet's keyring matches to an image (k8s credentialprovider): entries
 * whose host is the image's and whose path is a prefix of the image's path, most specific first.
 */
export function keyringCredentials(
  auths: Map<string, RegistryCredential>,
  repository: string,
): RegistryCredential[] {
  const matching: Array<{ specificity: number; credential: RegistryCredential }> = [];
  for (const [key, credential] of auths) {
    const bare = key.replace(/^https?:\/\//, '').replace(/\/+$/, '');
    if (repository === bare || repository.startsWith(`${bare}/`)) {
      matching.push({ specificity: bare.length, credential });
    }
  }
  return matching.sort((a, b) => b.specificity - a.specificity).map((m) => m.credential);
}

/** docker/cli's ConvertToHostname: the scheme and any path dropped. */
function hostnameOf(key: string): string {
  const bare = key.replace(/^https?:\/\//, '');
  return bare.split('/')[0] ?? bare;
}
