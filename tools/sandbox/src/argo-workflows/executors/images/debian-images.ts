import type { ImageFacts, PasswdEntry } from './image-facts';
import { DEFAULT_PATH } from './alpine-images';
import { debianBasePrograms, emulatedProgram, hostPrograms, programList } from './program-lists';

const ROOT: PasswdEntry = { name: 'root', uid: 0, gid: 0, home: '/root' };
const NOBODY: PasswdEntry = { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' };

const DEBIAN_DIRECTORIES = [
  { path: '/tmp', uid: 0, gid: 0, mode: 0o1777 },
  { path: '/root', uid: 0, gid: 0, mode: 0o700 },
];

export const DEBIAN: ImageFacts = {
  repository: 'debian',
  evidence: [
    'debian: docker-library/official-images library/debian (debuerreotype rootfs of the ' +
      'Priority: required packages; /bin/sh is dash; merged /usr since bookworm; CMD ["bash"]; no ' +
      'USER, no WORKDIR; /tmp 1777)',
  ],
  executor: 'process',
  shell: 'dash',
  user: '',
  passwd: [ROOT, NOBODY],
  env: { PATH: DEFAULT_PATH },
  workingDir: '',
  entrypoint: [],
  cmd: ['bash'],
  directories: DEBIAN_DIRECTORIES,
  mergedUsr: true,
  programs: () => programList(debianBasePrograms()),
};

export const UBUNTU: ImageFacts = {
  ...DEBIAN,
  repository: 'ubuntu',
  evidence: [
    'ubuntu: docker-library/official-images library/ubuntu (Canonical ubuntu-base OCI rootfs: the ' +
      'same required packages, dash as /bin/sh, merged /usr; CMD ["/bin/bash"]; no USER; /tmp 1777)',
  ],
  cmd: ['/bin/bash'],
};

export const ARGOCD: ImageFacts = {
  ...UBUNTU,
  repository: 'argoproj/argocd',
  evidence: [
    UBUNTU.evidence[0] ?? '',
    'quay.io/argoproj/argocd:v3.5.1: argoproj/argo-cd v3.5.1 Dockerfile (BASE_IMAGE ubuntu:26.04; ' +
      '`groupadd -g 999 argocd && useradd -r -u 999 -g argocd argocd`; /home/argocd owned argocd:0, ' +
      'g=u; apt-get install git tini ca-certificates gpg gpg-agent tzdata connect-proxy ' +
      'openssh-client (no jq, yq or curl); helm, kustomize, git-lfs and argocd in /usr/local/bin; ' +
      'ENV USER=argocd, GRPC_ENABLE_TXT_SERVICE_CONFIG=false; USER 999; WORKDIR /home/argocd; ' +
      'ENTRYPOINT ["/usr/bin/tini", "--"])',
  ],
  executor: 'argocd',
  user: '999',
  passwd: [ROOT, NOBODY, { name: 'argocd', uid: 999, gid: 999, home: '/home/argocd' }],
  env: {
    PATH: DEFAULT_PATH,
    ARGOCD_USER_ID: '999',
    DEBIAN_FRONTEND: 'noninteractive',
    USER: 'argocd',
    GRPC_ENABLE_TXT_SERVICE_CONFIG: 'false',
  },
  workingDir: '/home/argocd',
  entrypoint: ['/usr/bin/tini', '--'],
  cmd: [],
  directories: [...DEBIAN_DIRECTORIES, { path: '/home/argocd', uid: 999, gid: 0, mode: 0o775 }],
  programs: () =>
    programList(
      debianBasePrograms(),
      hostPrograms('/usr/bin', ['git', 'tini', 'gpg', 'gpg-agent', 'ssh', 'scp', 'ssh-keygen']),
      hostPrograms('/usr/local/bin', ['helm', 'kustomize', 'git-lfs']),
      [emulatedProgram('/usr/local/bin/argocd', 'argocd')],
    ),
};
