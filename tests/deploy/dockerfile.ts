import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { asObject, asString } from './json';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** A Dockerfile's global ARGs (before its first FROM, usable in FROMs) and its stages. */
export interface Dockerfile {
  args: string[];
  stages: Stage[];
}

/**
 * Splits a Dockerfile into its global ARGs and stages of instructions, joining `\` continuations
 * and dropping comments.
 */
export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: string[] = [];
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [image = '', as, name] = args.split(' ');
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (stage) stage.instructions.push({ keyword: keyword.toUpperCase(), args });
      else if (keyword.toUpperCase() === 'ARG') globalArgs.push(args);
      else throw new Error(`${keyword} before the first FROM`);
    }
  }
  return { args: globalArgs, stages };
}

export function argsOf(stage: Stage | undefined, keyword: string): string[] {
  return (stage?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** A COPY's --from, sources and destination. */
export function parseCopy(args: string): { from?: string; sources: string[]; destination: string } {
  const words = args.split(' ');
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? '' };
}

/** The exec (JSON) form of ENTRYPOINT/CMD; the shell form would put sh, not tini, at PID 1. */
export function execForm(args: string | undefined): string[] {
  const value: unknown = JSON.parse(args ?? 'null');
  if (!Array.isArray(value)) throw new Error(`not in exec form: ${args}`);
  return value.map((item, index) => asString(item, `exec form [${index}]`));
}

export function readJson(file: string): Record<string, unknown> {
  return asObject(JSON.parse(readFileSync(file, 'utf8')), file);
}

/**
 * The workspace directories (libs/...) an app needs at run time: its @platform/* dependencies,
 * transitively. devDependencies are left out: they are not in the production image.
 */
export function workspaceDependencies(repoRoot: string, appDir: string): string[] {
  const byName = workspaces(repoRoot);
  const found = new Set<string>();
  const visit = (dir: string): void => {
    const dependencies = asObject(
      readJson(path.join(repoRoot, dir, 'package.json')).dependencies ?? {},
      'dependencies',
    );
    for (const name of Object.keys(dependencies)) {
      const workspace = byName.get(name);
      if (workspace && !found.has(workspace)) {
        found.add(workspace);
        visit(workspace);
      }
    }
  };
  visit(appDir);
  return [...found].sort();
}

/** Every workspace of the monorepo, by package name: folder (relative to the root). */
export function workspaces(repoRoot: string): Map<string, string> {
  const patterns = readJson(path.join(repoRoot, 'package.json')).workspaces;
  if (!Array.isArray(patterns)) throw new Error('the root package.json has no workspaces');
  const folders = patterns.flatMap((pattern) => {
    const glob = asString(pattern, 'workspace pattern');
    if (!glob.endsWith('/*')) return [glob];
    const parent = glob.slice(0, -2);
    return readdirSync(path.join(repoRoot, parent)).map((child) => `${parent}/${child}`);
  });
  const byName = new Map<string, string>();
  for (const folder of folders) {
    const manifest = path.join(repoRoot, folder, 'package.json');
    if (existsSync(manifest)) byName.set(asString(readJson(manifest).name, `${manifest} name`), folder);
  }
  return byName;
}
