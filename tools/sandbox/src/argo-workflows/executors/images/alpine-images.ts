import type { ImageFacts, PasswdEntry } from './image-facts';
import { ALPINE_APPLETS, busyboxPrograms, emulatedProgram, hostPrograms, programList } from './program-lists';

/** Docker's default PATH, which the Alpine and BusyBox images set. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const ROOT: PasswdEntry = { name: 'root', uid: 0, gid: 0, home: '/root' };
const NOBODY: PasswdEntry = { name: 'nobody', uid: 65534, gid: 65534, home: '/' };

/** What every Alpine-based image has: /tmp 1777, /root 0700, root's busybox. */
const ALPINE_DIRECTORIES = [
  { path: '/tmp', uid: 0, gid: 0, mode: 0o1777 },
  { path: '/root', uid: 0, gid: 0, mode: 0o700 },
];

const ALPINE_EVIDENCE =
  'alpine: docker-library/official-images library/alpine (minirootfs, CMD ["/bin/sh"], no USER, ' +
  'no WORKDIR); /tmp is 1777 and /root 0700 in the minirootfs; applets from ' +
  'alpinelinux/aports main/busybox/busyboxconfig (SH_IS_ASH, FEATURE_SH_STANDALONE not set)';

export const ALPINE: ImageFacts = {
  repository: 'alpine',
  evidence: [ALPINE_EVIDENCE],
  executor: 'process',
  shell: 'busybox',
  user: '',
  passwd: [ROOT, NOBODY],
  env: { PATH: DEFAULT_PATH },
  workingDir: '',
  entrypoint: [],
  cmd: ['/bin/sh'],
  directories: ALPINE_DIRECTORIES,
  mergedUsr: false,
  programs: () => programList(busyboxPrograms(ALPINE_APPLETS)),
};

export const BUSYBOX: ImageFacts = {
  repository: 'busybox',
  evidence: [
    'busybox: docker-library/busybox (Dockerfile.builder builds busybox with its defconfig and ' +
      'installs every applet; CMD ["sh"], no USER, no WORKDIR; /tmp 1777)',
  ],
  executor: 'process',
  shell: 'busybox',
  user: '',
  passwd: [ROOT, { name: 'nobody', uid: 65534, gid: 65534, home: '/home' }],
  env: { PATH: DEFAULT_PATH },
  workingDir: '',
  entrypoint: [],
  cmd: ['sh'],
  directories: ALPINE_DIRECTORIES,
  mergedUsr: false,
  programs: () => programList(busyboxPrograms('all')),
};

export const ALPINE_GIT: ImageFacts = {
  repository: 'alpine/git',
  evidence: [
    ALPINE_EVIDENCE,
    'alpine/git: alpine-docker/git Dockerfile (FROM alpine; apk add git git-lfs gpg less openssh ' +
      'patch perl; VOLUME /git; WORKDIR /git; ENTRYPOINT ["git"]; CMD ["--help"]; no USER)',
  ],
  executor: 'process',
  shell: 'busybox',
  user: '',
  passwd: [ROOT, NOBODY],
  env: { PATH: DEFAULT_PATH },
  workingDir: '/git',
  entrypoint: ['git'],
  cmd: ['--help'],
  directories: [...ALPINE_DIRECTORIES, { path: '/git', uid: 0, gid: 0, mode: 0o755 }],
  mergedUsr: false,
  programs: () =>
    programList(
      busyboxPrograms(ALPINE_APPLETS),
      hostPrograms('/usr/bin', [
        'git',
        'git-lfs',
        'gpg',
        'less',
        'ssh',
        'scp',
        'ssh-keygen',
        'patch',
        'perl',
      ]),
    ),
};

export const CURL: ImageFacts = {
  repository: 'curlimages/curl',
  evidence: [
    ALPINE_EVIDENCE,
    'curlimages/curl: curl/curl-container 8.11.0 Makefile (base docker.io/alpine:3.20.3) and ' +
      'create_base_image.sh (curl in /usr/bin, CURL_CA_BUNDLE=/cacert.pem, `addgroup -S curl_group`, ' +
      '`adduser -S curl_user -G curl_group`: the first system ids, uid 100 and gid 101 next to ' +
      "Alpine's users group 100; ENTRYPOINT /entrypoint.sh; CMD curl), create_appliance_image.sh " +
      '(USER curl_user: a name, not a number; WORKDIR /home/curl_user)',
  ],
  executor: 'process',
  shell: 'busybox',
  user: 'curl_user',
  passwd: [ROOT, NOBODY, { name: 'curl_user', uid: 100, gid: 101, home: '/home/curl_user' }],
  env: { PATH: DEFAULT_PATH, CURL_CA_BUNDLE: '/cacert.pem' },
  workingDir: '/home/curl_user',
  entrypoint: ['/entrypoint.sh'],
  cmd: ['curl'],
  directories: [...ALPINE_DIRECTORIES, { path: '/home/curl_user', uid: 100, gid: 101, mode: 0o755 }],
  mergedUsr: false,
  programs: () => programList(busyboxPrograms(ALPINE_APPLETS), hostPrograms('/usr/bin', ['curl'])),
};

export const NODE_ALPINE: ImageFacts = {
  repository: 'node',
  tags: /alpine/,
  evidence: [
    ALPINE_EVIDENCE,
    'node:20-alpine: nodejs/docker-node 20/alpine3.20/Dockerfile (FROM alpine:3.20; ENV ' +
      'NODE_VERSION, YARN_VERSION; `addgroup -g 1000 node && adduser -u 1000 -G node -D node`; node, ' +
      'npm, npx, corepack in /usr/local/bin, yarn linked there; ENTRYPOINT docker-entrypoint.sh; CMD ' +
      'node; no USER, no WORKDIR)',
  ],
  executor: 'process',
  shell: 'busybox',
  user: '',
  passwd: [ROOT, NOBODY, { name: 'node', uid: 1000, gid: 1000, home: '/home/node' }],
  env: { PATH: DEFAULT_PATH, NODE_VERSION: '20.19.2', YARN_VERSION: '1.22.22' },
  workingDir: '',
  entrypoint: ['docker-entrypoint.sh'],
  cmd: ['node'],
  directories: [...ALPINE_DIRECTORIES, { path: '/home/node', uid: 1000, gid: 1000, mode: 0o755 }],
  mergedUsr: false,
  programs: () =>
    programList(
      busyboxPrograms(ALPINE_APPLETS),
      hostPrograms('/usr/local/bin', ['node', 'npm', 'npx', 'corepack', 'yarn', 'yarnpkg']),
    ),
};

export const BUILDKIT_ROOTLESS: ImageFacts = {
  repository: 'moby/buildkit',
  tags: /rootless/,
  evidence: [
    ALPINE_EVIDENCE,
    'moby/buildkit:*-rootless: moby/buildkit v0.9.3 Dockerfile, stage `rootless` (FROM ' +
      'tonistiigi/alpine:3.14; apk add fuse3 fuse-overlayfs git openssh pigz xz; `adduser -D -u 1000 ' +
      'user`; /run/user/1000 and /home/user/.local/tmp owned by user; buildctl, buildkitd, ' +
      'rootlesskit and buildctl-daemonless.sh in /usr/bin; USER 1000:1000; ENV HOME, USER, ' +
      'XDG_RUNTIME_DIR, TMPDIR, BUILDKIT_HOST; ENTRYPOINT ["rootlesskit", "buildkitd"])',
  ],
  executor: 'buildkit',
  shell: 'busybox',
  user: '1000:1000',
  passwd: [ROOT, NOBODY, { name: 'user', uid: 1000, gid: 1000, home: '/home/user' }],
  env: {
    PATH: DEFAULT_PATH,
    HOME: '/home/user',
    USER: 'user',
    XDG_RUNTIME_DIR: '/run/user/1000',
    TMPDIR: '/home/user/.local/tmp',
    BUILDKIT_HOST: 'unix:///run/user/1000/buildkit/buildkitd.sock',
  },
  workingDir: '',
  entrypoint: ['rootlesskit', 'buildkitd'],
  cmd: [],
  directories: [
    ...ALPINE_DIRECTORIES,
    { path: '/home/user', uid: 1000, gid: 1000, mode: 0o755 },
    { path: '/home/user/.local/tmp', uid: 1000, gid: 1000, mode: 0o755 },
    { path: '/run/user/1000', uid: 1000, gid: 1000, mode: 0o755 },
  ],
  mergedUsr: false,
  programs: () =>
    programList(busyboxPrograms(ALPINE_APPLETS), hostPrograms('/usr/bin', ['git', 'ssh', 'xz']), [
      emulatedProgram('/usr/bin/buildctl', 'buildctl'),
      emulatedProgram('/usr/bin/buildctl-daemonless.sh', 'buildctl-daemonless.sh'),
    ]),
};
