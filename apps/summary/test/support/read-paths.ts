/**
 * Runs `read` on a proxy of `object` and returns the dotted path of every property it read,
 * including properties the object does not have: a fold's reads of fields absent from a fixture
 * show up too. Array elements have the path of their array, as in `fields=`.
 */
export function readPaths<T extends object>(object: T, read: (proxy: T) => unknown): Set<string> {
  const paths = new Set<string>();
  const wrap = (value: unknown, path: string | undefined): unknown => {
    if (value === null || typeof value !== 'object') return value;
    return new Proxy(value, {
      get(target, key, receiver) {
        const child: unknown = Reflect.get(target, key, receiver);
        if (typeof key === 'symbol') return child;
        // An array's length and methods are not data; its elements are.
        if (Array.isArray(target)) return /^\d+$/.test(key) ? wrap(child, path) : child;
        const childPath = path === undefined ? key : `${path}.${key}`;
        paths.add(childPath);
        return wrap(child, childPath);
      },
    });
  };
  read(wrap(object, undefined) as T);
  return paths;
}

/**
 * Whether `fields=` with `listed` keeps what reading `path` needs: a listed path is it or above
 * it (kept whole), or below it (`path` is an object on the way to a listed path).
 */
export function keptBy(listed: readonly string[], path: string): boolean {
  return listed.some(
    (field) => field === path || path.startsWith(`${field}.`) || field.startsWith(`${path}.`),
  );
}
