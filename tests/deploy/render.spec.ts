import { describe, expect, it } from '@jest/globals';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { JsonObject } from './json';
import { findKubectl, kubectlKustomize } from './kubectl';
import { idOf, kustomizationFile, readKustomization, render } from './kustomize';
import { DEPLOY_DIR } from './rendered';

/** Every kustomization under deploy/: a new one must be listed here, so that it is rendered and compared. */
const RENDERED_DIRS = ['base', 'redis-dev', 'templates', 'overlays/dev', 'overlays/prod'];

function kustomizationDirs(dir: string): string[] {
  const here = readdirSync(dir).some((name) => name === 'kustomization.yaml') ? [dir] : [];
  const below = readdirSync(dir)
    .map((name) => path.join(dir, name))
    .filter((child) => statSync(child).isDirectory())
    .flatMap(kustomizationDirs);
  return [...here, ...below];
}

function sorted(objects: JsonObject[]): JsonObject[] {
  return [...objects].sort((a, b) => idOf(a).localeCompare(idOf(b)));
}

describe('kustomizations', () => {
  it('use only what the kustomize inside kubectl 1.20 reads (files in resources, directories in bases)', () => {
    const dirs = kustomizationDirs(DEPLOY_DIR);
    expect(dirs.map((dir) => path.relative(DEPLOY_DIR, dir)).sort()).toEqual([...RENDERED_DIRS].sort());
    for (const dir of dirs) {
      // readKustomization throws on any other field, render on a directory under resources.
      expect(() => readKustomization(dir)).not.toThrow();
      expect(path.basename(kustomizationFile(dir))).toBe('kustomization.yaml');
    }
  });

  it.each(RENDERED_DIRS)('%s renders without duplicates or dangling patches', (dir) => {
    expect(render(path.join(DEPLOY_DIR, dir)).length).toBeGreaterThan(0);
  });
});

const kubectl = findKubectl();
if (!kubectl) console.info('kubectl is not on PATH: the comparison with `kubectl kustomize` is skipped');

describe('the test loader agrees with kubectl kustomize', () => {
  (kubectl ? it.each(RENDERED_DIRS) : it.skip.each(RENDERED_DIRS))('%s', (dir) => {
    const full = path.join(DEPLOY_DIR, dir);
    expect(sorted(render(full))).toEqual(sorted(kubectlKustomize(kubectl ?? 'kubectl', full)));
  });
});
