import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { asObject, asString, asStringList, clone, type JsonObject } from './json';
import { strategicMerge } from './strategic-merge';
import { nameOf, setImages, setNamespace, type ImageRule } from './transformers';

/**
 * The kustomization fields deploy/ may use: those the kustomize v2.0.3 inside kubectl 1.20 reads
 * (`resources` holds files only there; directories go under `bases`). Anything else makes
 * {@link render} throw, so a new feature cannot slip past this loader or the old kubectl.
 */
export const SUPPORTED_FIELDS = [
  'apiVersion',
  'kind',
  'namespace',
  'bases',
  'resources',
  'patchesStrategicMerge',
  'images',
  'configMapGenerator',
  'generatorOptions',
] as const;

/** Renders a kustomization directory to its objects, as `kubectl kustomize` would. */
export function render(dir: string): JsonObject[] {
  const kustomization = readKustomization(dir);
  const objects: JsonObject[] = [];
  for (const base of asStringList(kustomization.bases, `${dir}: bases`)) {
    const baseDir = path.resolve(dir, base);
    if (!isDirectory(baseDir)) throw new Error(`${dir}: base ${base} is not a directory`);
    objects.push(...render(baseDir));
  }
  for (const resource of asStringList(kustomization.resources, `${dir}: resources`)) {
    const file = path.resolve(dir, resource);
    if (isDirectory(file)) {
      throw new Error(
        `${dir}: resource ${resource} is a directory; kubectl 1.20 reads only files there, use bases`,
      );
    }
    objects.push(...readObjects(file));
  }
  objects.push(...generatedConfigMaps(dir, kustomization));
  assertUnique(objects, dir);
  for (const patchFile of asStringList(
    kustomization.patchesStrategicMerge,
    `${dir}: patchesStrategicMerge`,
  )) {
    for (const patch of readObjects(path.resolve(dir, patchFile))) applyPatch(objects, patch, patchFile);
  }
  if (kustomization.namespace !== undefined)
    setNamespace(objects, asString(kustomization.namespace, 'namespace'));
  if (kustomization.images !== undefined) setImages(objects, readImageRules(kustomization.images));
  return objects;
}

export function kustomizationFile(dir: string): string {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map((name) => path.join(dir, name))
    .find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`${dir} has no kustomization.yaml`);
  return file;
}

export function readKustomization(dir: string): JsonObject {
  const kustomization = readObjects(kustomizationFile(dir))[0] ?? {};
  const unsupported = Object.keys(kustomization).filter(
    (key) => !(SUPPORTED_FIELDS as readonly string[]).includes(key),
  );
  if (unsupported.length > 0)
    throw new Error(`${dir}: unsupported kustomization fields ${unsupported.join(', ')}`);
  return kustomization;
}

/** Every YAML document of a file that is not empty (comments-only documents parse to null). */
export function readObjects(file: string): JsonObject[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  return documents.flatMap((document, index) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    return value === null ? [] : [asObject(value, `${file} document ${index}`)];
  });
}

/** The identity kustomize matches patches and detects duplicates by. */
export function idOf(object: JsonObject): string {
  const namespace = asObject(object.metadata, 'metadata').namespace;
  const group = asString(object.apiVersion, 'apiVersion').split('/').slice(0, -1).join('/');
  return `${group}/${asString(object.kind, 'kind')}/${typeof namespace === 'string' ? namespace : ''}/${nameOf(object)}`;
}

function applyPatch(objects: JsonObject[], patch: JsonObject, file: string): void {
  const index = objects.findIndex((object) => idOf(object) === idOf(patch));
  if (index === -1) throw new Error(`${file}: patch ${idOf(patch)} matches no resource`);
  objects[index] = asObject(strategicMerge(objects[index], clone(patch)), idOf(patch));
}

/**
 * ConfigMaps from `configMapGenerator` entries with `files:`. Only unhashed names are modelled
 * (`generatorOptions.disableNameSuffixHash: true`): with a hash, kustomize also renames every
 * reference, which this loader does not reproduce.
 */
function generatedConfigMaps(dir: string, kustomization: JsonObject): JsonObject[] {
  if (kustomization.configMapGenerator === undefined) return [];
  const options = asObject(kustomization.generatorOptions ?? {}, `${dir}: generatorOptions`);
  if (options.disableNameSuffixHash !== true) {
    throw new Error(`${dir}: configMapGenerator needs generatorOptions.disableNameSuffixHash: true here`);
  }
  const labels =
    options.labels === undefined ? undefined : asObject(options.labels, `${dir}: generatorOptions.labels`);
  if (!Array.isArray(kustomization.configMapGenerator))
    throw new Error(`${dir}: configMapGenerator: expected a list`);
  return kustomization.configMapGenerator.map((item, index) => {
    const generator = asObject(item, `${dir}: configMapGenerator[${index}]`);
    const data = Object.fromEntries(
      asStringList(generator.files, `${dir}: configMapGenerator[${index}].files`).map((file) => [
        path.basename(file),
        readFileSync(path.resolve(dir, file), 'utf8'),
      ]),
    );
    const name = asString(generator.name, `${dir}: configMapGenerator[${index}].name`);
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
  });
}

function readImageRules(value: unknown): ImageRule[] {
  if (!Array.isArray(value)) throw new Error('images: expected a list');
  return value.map((item, index) => {
    const rule = asObject(item, `images[${index}]`);
    const optional = (key: string): string | undefined =>
      rule[key] === undefined ? undefined : asString(rule[key], `images[${index}].${key}`);
    return {
      name: asString(rule.name, `images[${index}].name`),
      newName: optional('newName'),
      newTag: optional('newTag'),
      digest: optional('digest'),
    };
  });
}

function assertUnique(objects: JsonObject[], dir: string): void {
  const seen = new Set<string>();
  for (const object of objects) {
    const id = idOf(object);
    if (seen.has(id)) throw new Error(`${dir}: ${id} is defined twice`);
    seen.add(id);
  }
}

function isDirectory(file: string): boolean {
  return existsSync(file) && statSync(file).isDirectory();
}
