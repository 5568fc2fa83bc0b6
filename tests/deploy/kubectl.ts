import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { asObject, type JsonObject } from './json';

/** The kubectl on PATH, if any: the tests compare with it but never install it. */
export function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** `kubectl kustomize DIR`, parsed. Deprecation warnings on stderr are expected and ignored. */
export function kubectlKustomize(kubectl: string, dir: string): JsonObject[] {
  const output = execFileSync(kubectl, ['kustomize', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(output).flatMap((document, index) => {
    const value: unknown = document.toJS();
    return value === null ? [] : [asObject(value, `kubectl kustomize ${dir} document ${index}`)];
  });
}
