import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a kubeconfig for the sandbox's API server that `@kubernetes/client-node` and kubectl load
 * unchanged: the https URL, the CA that signed the server's certificate (so clients verify it, as
 * against any real cluster) and the bearer token, which kubectl only sends over TLS. Strings are
 * written as JSON literals, which YAML reads as-is.
 */
export function writeKubeconfig(file: string, serverUrl: string, token: string, caPem: string): void {
  const q = (text: string): string => JSON.stringify(text);
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sandbox',
    '  cluster:',
    `    server: ${q(serverUrl)}`,
    `    certificate-authority-data: ${q(Buffer.from(caPem).toString('base64'))}`,
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
