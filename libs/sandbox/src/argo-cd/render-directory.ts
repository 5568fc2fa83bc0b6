import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../core/kube-object';
import { isMap } from './render-values';
import { trackObject } from './render-tracking';
import { platformLabels, type RenderTarget } from './render-workload';

/**
 * A plain directory of manifests (`sourceType: Directory`): every YAML or JSON document with a
 * kind becomes a target object, in the destination namespace unless it names its own, tracked
 * and labelled like rendered charts.
 */
export function renderDirectory(
  target: RenderTarget,
  files: Array<{ path: string; text: string }>,
): KubeObject[] {
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
      const object = value as KubeObject;
      if (object.kind !== 'Namespace') object.metadata.namespace ??= target.namespace;
      object.metadata.labels = { ...object.metadata.labels, ...platformLabels(target.appLabels) };
      objects.push(trackObject(object, target.app));
    }
  }
  return objects;
}
