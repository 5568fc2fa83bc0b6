import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../core/kube-object';
import { stableJson } from '../../kubernetes/controllers/pod-template-hash';

/**
 * gitops-engine `kube.SplitYAML` followed by the repo server's list flattening: every YAML (or
 * JSON) document becomes an object, empty and `null` documents are skipped, objects with an
 * `items` list contribute their items. A document without a kind fails the way decoding it into
 * an Unstructured fails: "failed to unmarshal manifest: Object 'Kind' is missing in '<json>'".
 */
export function splitManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  // sigs.k8s.io/yaml reads YAML 1.1: an unquoted `yes` or `on` is a boolean there, as here.
  for (const document of parseAllDocuments(text, { version: '1.1' })) {
    if (document.errors.length > 0) {
      const first = document.errors[0]?.message.split('\n')[0] ?? '';
      throw new Error(`failed to unmarshal manifest: ${first}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      const type = Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : typeof value;
      throw new Error(
        `failed to unmarshal manifest: json: cannot unmarshal ${type} into Go value of type map[string]interface {}`,
      );
    }
    const object = value as Record<string, unknown>;
    if (typeof object.kind !== 'string' || object.kind === '') {
      throw new Error(`failed to unmarshal manifest: Object 'Kind' is missing in '${stableJson(object)}'`);
    }
    if (Array.isArray(object.items)) {
      for (const item of object.items) objects.push(asObject(item));
      continue;
    }
    objects.push(asObject(object));
  }
  return objects;
}

function asObject(value: unknown): KubeObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('resource list item has unexpected type');
  }
  const object = value as Partial<KubeObject>;
  object.metadata ??= {};
  return object as KubeObject;
}
