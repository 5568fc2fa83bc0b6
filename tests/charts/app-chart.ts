import { realTool } from '@platform/sandbox';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TEMPLATES = path.join(ROOT, 'deploy', 'templates');

/** A template of deploy/templates/catalog.yaml, as far as the chart tests need it. */
export interface CatalogTemplate {
  name: string;
  manifestsRepo: string;
  parameters: Array<{ name: string; default?: string }>;
}

export function catalogTemplates(): CatalogTemplate[] {
  const catalog = parse(readFileSync(path.join(TEMPLATES, 'catalog.yaml'), 'utf8')) as {
    templates: CatalogTemplate[];
  };
  return catalog.templates;
}

/** The placeholder create-app refuses to push when one is left (deploy/argo/create-app.yaml). */
const UNFILLED = /__[A-Z][A-Z0-9_]*__/;

/** A template repository of deploy/templates/repos. */
export function templateRepo(name: string): string {
  return path.join(TEMPLATES, 'repos', name);
}

/**
 * A copy of a template repository (a folder) filled in the way create-app's render-and-push step does: in
 * every file, `__APP__`, `__TEAM__`, `__REGISTRY__`, `__IMAGE_TAG__` and one `__KEY__` per catalog
 * parameter (upper-cased, "-" as "_") replaced by the value. Fails like create-app when a
 * placeholder is left.
 */
export function fillTemplateRepo(repo: string, values: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${path.basename(repo)}-`));
  cpSync(repo, dir, { recursive: true });
  for (const file of filesUnder(dir)) {
    let text = readFileSync(file, 'utf8');
    for (const [key, value] of Object.entries(values)) text = text.split(`__${key}__`).join(value);
    const left = UNFILLED.exec(text);
    if (left !== null) throw new Error(`${repo} needs a value for ${left[0]} (${path.relative(dir, file)})`);
    writeFileSync(file, text);
  }
  return dir;
}

/** The values create-app fills in for an app of `template`, with each parameter's default. */
export function createAppValues(
  template: CatalogTemplate,
  app: { name: string; team: string; imageTag: string },
): Record<string, string> {
  const values: Record<string, string> = {
    APP: app.name,
    TEAM: app.team,
    REGISTRY: 'registry.example.com',
    IMAGE_TAG: app.imageTag,
  };
  for (const parameter of template.parameters) {
    values[parameter.name.toUpperCase().replace(/-/g, '_')] = parameter.default ?? '';
  }
  return values;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The real Helm (v4, from the sandbox's pinned package); rejects with Helm's stderr. */
export async function helm(args: string[], cwd: string): Promise<string> {
  const binary = await realTool('helm');
  try {
    const { stdout } = await promisify(execFile)(binary, args, { cwd, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`helm ${args.join(' ')}: ${stderr.trim()}`, { cause: error });
  }
}

/** A Kubernetes object as Helm printed it. */
export interface Rendered {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** `helm template` as Argo CD's repo server runs it for an app of the platform (release = app). */
export async function helmTemplate(
  chartDir: string,
  options: { release: string; namespace: string; valueFiles: string[]; extra?: string[] },
): Promise<Rendered[]> {
  const args = ['template', '.', '--name-template', options.release, '--namespace', options.namespace];
  args.push('--kube-version', '1.31.0');
  for (const file of options.valueFiles) args.push('--values', path.join(chartDir, file));
  args.push(...(options.extra ?? []), '--include-crds');
  const out = await helm(args, chartDir);
  return parseAllDocuments(out).flatMap((document) => {
    const value = document.toJS() as Rendered | null;
    return value === null ? [] : [value];
  });
}
