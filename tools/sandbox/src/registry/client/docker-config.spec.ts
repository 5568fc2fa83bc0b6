import {
  DockerConfigError,
  keychainCredential,
  keyringCredentials,
  parseDockerConfig,
} from './docker-config';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const config = (auths: Record<string, unknown>): string => JSON.stringify({ auths });

describe(parseDockerConfig.name, () => {
  it('takes auth (base64 user:password) over username and password, as docker/cli loads it', () => {
    const auths = parseDockerConfig(
      config({
        'r.example': { auth: b64('robot$a+ci:s3cret'), username: 'ignored', password: 'ignored' },
        'other.example': { username: 'u', password: 'p' },
      }),
      'config.json',
    );
    expect(Object.fromEntries(auths)).toEqual({
      'r.example': { username: 'robot$a+ci', password: 's3cret' },
      'other.example': { username: 'u', password: 'p' },
    });
  });

  it('fails the whole file for an auth without a user, and for text that is not JSON', () => {
    expect(() =>
      parseDockerConfig(config({ r: { auth: b64('no-colon') } }), '/kaniko/.docker/config.json'),
    ).toThrow(
      new DockerConfigError(
        'loading config file: /kaniko/.docker/config.json: Invalid auth configuration file',
      ),
    );
    expect(() => parseDockerConfig('{', 'c.json')).toThrow(DockerConfigError);
  });
});

describe(keychainCredential.name, () => {
  const auths = parseDockerConfig(
    config({
      'r.example/team-a/app': { username: 'repo-specific', password: 'x' },
      'https://s.example/v1/': { username: 'by-hostname', password: 'x' },
      'q.example': { username: 'exact-host', password: 'x' },
    }),
    'config.json',
  );

  it.each([
    ['r.example/team-a/app', 'r.example', 'repo-specific'],
    ['s.example/team-b/app', 's.example', 'by-hostname'],
    ['q.example/team/app', 'q.example', 'exact-host'],
    ['z.example/team/app', 'z.example', undefined],
  ])('picks the entry of %s the way go-containerregistry does', (repository, host, user) => {
    expect(keychainCredential(auths, repository, host)?.username).toBe(user);
  });
});

describe(keyringCredentials.name, () => {
  it('matches by host and path prefix, most specific first, as the kubelet keyring does', () => {
    const auths = parseDockerConfig(
      config({
        'r.example': { username: 'host', password: 'x' },
        'r.example/team-a': { username: 'project', password: 'x' },
        'r.example/team-b': { username: 'elsewhere', password: 'x' },
      }),
      'secret',
    );
    expect(keyringCredentials(auths, 'r.example/team-a/app').map((c) => c.username)).toEqual([
      'project',
      'host',
    ]);
    expect(keyringCredentials(auths, 'other.example/team-a/app')).toEqual([]);
  });
});
