import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a kubeconfig for the sandbox's API server that `@kubernetes/client-node` (and kubectl)
 * load unchanged. The server speaks plain http, which client-node only accepts together with
 * `insecure-skip-tls-verify: true`. Strings are written as JSON literals, which YAML reads as-is.
 */
export function writeKubeconfig(file: string, serverUrl: string, token: string): void {
  const q = (text: string): string => JSON.stringify(text);
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sandbox',
    '  cluster:',
    `    server: ${q(serverUrl)}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: sandbox',
    '  user:',
    `    token: ${q(token)}`,
    'contexts:',
    '- name: sandbox',
    '  context:',
    '    cluster: sandbox',
    '    user: sandbox',
    '    namespace: default',
    'current-context: sandbox',
    'preferences: {}',
    '',
  ].join('\n');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, yaml, { mode: 0o600 });
}
