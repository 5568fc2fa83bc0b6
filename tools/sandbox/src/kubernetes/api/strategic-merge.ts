/**
 * Strategic merge patch as the API server applies it to built-in kinds (apimachinery
 * pkg/util/strategicpatch): maps merge recursively and `null` deletes a key; lists of objects with
 * a merge key (containers by `name`, volumeMounts by `mountPath`, ...) merge element by element;
 * `finalizers` merge as a set; every other list is replaced. Directives: `$patch: replace|delete`
 * (on a map or a list element), `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>` — what kubectl apply's three-way patches contain.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  return mergeMap(isObject(target) ? target : {}, patch, []);
}

type JsonMap = Record<string, unknown>;

/** Merge keys of the built-in types' lists, by field name (`ports` depends on where it is). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  resourceClaims: 'name',
};
/** Lists of scalars whose patch strategy is merge (a set union), not replace. */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

function mergeKeyOf(field: string, path: string[]): string | undefined {
  if (field === 'ports')
    return path.includes('containers') || path.includes('initContainers') ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

function mergeMap(target: JsonMap, patch: unknown, path: string[]): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  const { $patch: _patch, $retainKeys: retain, ...rest } = patch;
  const result: JsonMap = directive === 'replace' ? {} : structuredClone(target);
  const orders = new Map<string, unknown[]>();
  const deletions = new Map<string, unknown[]>();
  for (const [key, value] of Object.entries(rest)) {
    if (key.startsWith('$setElementOrder/')) orders.set(key.slice('$setElementOrder/'.length), asList(value));
    else if (key.startsWith('$deleteFromPrimitiveList/'))
      deletions.set(key.slice('$deleteFromPrimitiveList/'.length), asList(value));
  }
  for (const [key, value] of Object.entries(rest)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = mergeValue(result[key], value, key, [...path, key]);
    if (merged === undefined) delete result[key];
    else result[key] = merged;
  }
  for (const [key, values] of deletions) {
    const list = result[key];
    if (Array.isArray(list)) result[key] = list.filter((item) => !values.some((v) => v === item));
  }
  for (const [key, order] of orders) {
    const list = result[key];
    if (Array.isArray(list)) result[key] = applyOrder(list, order, mergeKeyOf(key, path));
  }
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function mergeValue(current: unknown, patch: unknown, field: string, path: string[]): unknown {
  if (isObject(patch)) return mergeMap(isObject(current) ? current : {}, patch, path);
  if (!Array.isArray(patch)) return structuredClone(patch);
  const mergeKey = mergeKeyOf(field, path.slice(0, -1));
  if (mergeKey !== undefined && patch.every(isObject)) {
    return mergeList(Array.isArray(current) ? current : [], patch, mergeKey, path);
  }
  if (MERGED_PRIMITIVE_LISTS.has(field) && Array.isArray(current)) {
    const existing: unknown[] = current;
    const added: unknown[] = patch.filter((item: unknown) => !existing.includes(item));
    return [...existing, ...added];
  }
  return structuredClone(patch);
}

function mergeList(current: unknown[], patch: JsonMap[], mergeKey: string, path: string[]): unknown[] {
  if (patch.some((item) => item.$patch === 'replace')) {
    return structuredClone(patch.filter((item) => item.$patch !== 'replace'));
  }
  const result = structuredClone(current);
  for (const item of patch) {
    const key = item[mergeKey];
    const index = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === key);
    if (item.$patch === 'delete') {
      if (index !== -1) result.splice(index, 1);
      continue;
    }
    const existing = index === -1 ? {} : result[index];
    const merged = mergeMap(isObject(existing) ? existing : {}, item, path);
    if (index === -1) result.push(merged);
    else result[index] = merged;
  }
  return result;
}

/** Items named in `$setElementOrder` come first in that order; the others keep theirs after them. */
function applyOrder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const keyOf = (item: unknown): unknown =>
    mergeKey !== undefined && isObject(item) ? item[mergeKey] : item;
  const wanted = order.map(keyOf);
  const rank = (item: unknown): number => {
    const at = wanted.indexOf(keyOf(item));
    return at === -1 ? wanted.length : at;
  };
  return list
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
