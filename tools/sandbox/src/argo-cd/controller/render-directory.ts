import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../core/kube-object';
import { isMap } from '../shared/json-map';

/**
 * A plain directory of manifests (`sourceType: Directory`): every YAML or JSON document with a
 * kind becomes a target object, as the repo server's `findManifests` reads them.
 */
export function renderDirectory(files: Array<{ path: string; text: string }>): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(file.text)) {
      if (document.errors.length > 0) {
        throw new Error(
          `Failed to unmarshal "${file.path}": ${document.errors[0]?.message.split('\n')[0] ?? ''}`,
        );
      }
      const value: unknown = document.toJS();
      if (value === null || value === undefined) continue;
      if (
        !isMap(value) ||
        typeof value.kind !== 'string' ||
        typeof value.apiVersion !== 'string' ||
        !isMap(value.metadata)
      ) {
        throw new Error(`Failed to unmarshal "${file.path}": Object 'Kind' is missing`);
      }
      objects.push(value as KubeObject);
    }
  }
  return objects;
}
