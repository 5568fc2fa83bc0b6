import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  keychainCredential,
  parseDockerConfig,
  type RegistryCredential,
} from '../../registry/client/docker-config';
import type { CommandIo } from './command-io';

/**
 * The credential a builder in a pod uses for `repository` (`host/team/app`): the docker config
 * at `<configDir>/config.json` (kaniko: `$DOCKER_CONFIG`, `/kaniko/.docker`; BuildKit:
 * `$DOCKER_CONFIG` or `$HOME/.docker`), looked up as go-containerregistry's keychain does.
 * No file or no matching entry: anonymous. Throws DockerConfigError for a file it cannot load.
 */
export function builderCredential(
  io: CommandIo,
  configDir: string,
  repository: string,
): RegistryCredential | undefined {
  const containerPath = path.posix.join(configDir, 'config.json');
  const file = io.resolvePath(containerPath);
  if (!existsSync(file)) return undefined;
  const auths = parseDockerConfig(readFileSync(file, 'utf8'), containerPath);
  return keychainCredential(auths, repository, repository.split('/')[0] ?? '');
}
