import { asObject, isObject, type JsonObject } from './json';

/**
 * A strategic merge patch reduced to what deploy/ uses: mappings merge recursively, `null`
 * deletes a key, and lists of named items (containers, env, volumes) merge by name; any other
 * list is replaced. Real SMP has per-field merge keys; where this shortcut would differ, the
 * comparison with `kubectl kustomize` in render.spec.ts fails.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (isObject(patch)) {
    const merged: JsonObject = isObject(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) throw new Error(`patch directive ${key} is not supported`);
      if (value === null) delete merged[key];
      else merged[key] = strategicMerge(merged[key], value);
    }
    return merged;
  }
  if (Array.isArray(patch) && Array.isArray(target) && isNamedList(patch) && isNamedList(target)) {
    const merged: JsonObject[] = [...target];
    for (const item of patch) {
      const index = merged.findIndex((existing) => existing.name === item.name);
      if (index === -1) merged.push(item);
      else merged[index] = asObject(strategicMerge(merged[index], item), `list item ${item.name}`);
    }
    return merged;
  }
  return patch;
}

function isNamedList(list: unknown[]): list is (JsonObject & { name: string })[] {
  return list.every((item) => isObject(item) && typeof item.name === 'string');
}
