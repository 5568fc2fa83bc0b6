import type { ImageFacts } from './image-facts';
import { emulatedProgram, programList } from './program-lists';

/**
 * kaniko's executor image is FROM scratch: no shell, no /tmp, only /kaniko (0777 so kaniko can
 * run as non-root), its certificates, the credential helpers and the executor. The maintained
 * fork (osscontainertools/kaniko, ghcr.io/osscontainertools/kaniko) keeps the layout of
 * Google's archived image (gcr.io/kaniko-project/executor).
 */
function kanikoImage(repository: string, evidence: string): ImageFacts {
  return {
    repository,
    evidence: [evidence],
    executor: 'kaniko',
    shell: 'none',
    user: '',
    passwd: [{ name: 'root', uid: 0, gid: 0, home: '/root' }],
    env: {
      HOME: '/root',
      USER: 'root',
      PATH: '/usr/local/bin:/kaniko',
      SSL_CERT_DIR: '/kaniko/ssl/certs',
      DOCKER_CONFIG: '/kaniko/.docker/',
      DOCKER_CREDENTIAL_GCR_CONFIG: '/kaniko/.config/gcloud/docker_credential_gcr_config.json',
    },
    workingDir: '/workspace',
    entrypoint: ['/kaniko/executor'],
    cmd: [],
    directories: [
      { path: '/kaniko', uid: 0, gid: 0, mode: 0o777 },
      { path: '/workspace', uid: 0, gid: 0, mode: 0o755 },
    ],
    mergedUsr: false,
    programs: () => programList([emulatedProgram('/kaniko/executor', 'executor')]),
  };
}

export const KANIKO_FORK = kanikoImage(
  'osscontainertools/kaniko',
  'ghcr.io/osscontainertools/kaniko:v1.28.3: osscontainertools/kaniko v1.28.3 deploy/Dockerfile ' +
    '(kaniko-base-slim FROM scratch with /kaniko 0777, ENV HOME=/root USER=root ' +
    'PATH=/usr/local/bin:/kaniko SSL_CERT_DIR; kaniko-base adds the credential helpers, ' +
    'DOCKER_CONFIG=/kaniko/.docker/ and WORKDIR /workspace; kaniko-executor: ENTRYPOINT ' +
    '["/kaniko/executor"]; no USER, no shell)',
);

export const KANIKO_ARCHIVED = kanikoImage(
  'kaniko-project/executor',
  'gcr.io/kaniko-project/executor (archived GoogleContainerTools/kaniko deploy/Dockerfile: the ' +
    'same FROM scratch layout, ENTRYPOINT ["/kaniko/executor"]; no longer updated)',
);
