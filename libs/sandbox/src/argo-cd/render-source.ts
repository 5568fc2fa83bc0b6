import path from 'node:path';
import type { KubeObject } from '../core/kube-object';
import type { RepoCache } from './app-repo-cache';
import type { AppSource } from './app-types';
import { renderDirectory } from './render-directory';
import { mergeValues, parseChart, parseValues, type Values } from './render-values';
import { renderWorkload, type RenderTarget } from './render-workload';

/** What a source renders to at one commit. */
export interface TargetState {
  revision: string;
  sourceType: 'Helm' | 'Directory';
  objects: KubeObject[];
}

const MANIFEST = /\.(ya?ml|json)$/;

/**
 * The repo-server's manifest generation: reads the source's path at commit `sha` and renders it, as a Helm-style chart when the path holds a Chart.yaml (values files
 * from `helm.valueFiles`, relative to the chart), else as a directory of manifests. Errors carry
 * the repo-server's wording; the caller wraps them into a ComparisonError.
 */
export async function renderSource(
  repos: RepoCache,
  source: AppSource,
  sha: string,
  target: RenderTarget,
): Promise<TargetState> {
  const dir = source.path ?? '';
  const files = await repos.listFiles(source.repoURL, sha, dir, source.directory?.recurse === true);
  if (files === undefined) throw new Error(`${dir}: app path does not exist`);
  const chartFile = path.posix.join(dir, 'Chart.yaml');
  if (files.includes(chartFile)) {
    const read = (file: string) => repos.readFile(source.repoURL, sha, file);
    const chart = parseChart((await read(chartFile)) ?? '');
    const base = parseValues((await read(path.posix.join(dir, 'values.yaml'))) ?? '', 'values.yaml');
    const overrides: Values[] = [];
    for (const valueFile of source.helm?.valueFiles ?? []) {
      const text = await read(path.posix.join(dir, valueFile));
      if (text === undefined) {
        if (source.helm?.ignoreMissingValueFiles === true) continue;
        throw new Error(`Error: open ${path.posix.join(dir, valueFile)}: no such file or directory`);
      }
      overrides.push(parseValues(text, valueFile));
    }
    const values = mergeValues(base, overrides, source.helm);
    return { revision: sha, sourceType: 'Helm', objects: renderWorkload(target, chart, values) };
  }
  const manifests: Array<{ path: string; text: string }> = [];
  for (const file of files.filter((f) => MANIFEST.test(f)).sort()) {
    manifests.push({ path: file, text: (await repos.readFile(source.repoURL, sha, file)) ?? '' });
  }
  return { revision: sha, sourceType: 'Directory', objects: renderDirectory(target, manifests) };
}
