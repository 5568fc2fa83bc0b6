/**
 * The `fields=` query parameter of argoproj/pkg's gateway marshaler: a comma list of kept paths
 * (`items.metadata.name,metadata`), or, with a leading `-`, of removed ones. Reproduces its quirks:
 * a key is kept when ANY listed path merely starts with the key's dotted path as a string prefix,
 * array elements have the path of their array, and the filtered document is re-marshalled from a
 * Go map, so keys come out sorted.
 *
 * Lists of thousands of objects go through here, so the trimmed, key-sorted copy is built in one
 * walk, and the walk only checks keys on the paths that lead to a listed one: below any other
 * key a subtree is either dropped or copied whole.
 */
export class FieldFilter {
  /**
   * Every string prefix of every listed path (the empty one and the paths themselves included),
   * so that "some listed path starts with this one" is one lookup. Their total length is
   * quadratic in a path's length, but a query string is at most Node's 16 KiB of headers.
   */
  private readonly prefixes = new Set<string>();

  private constructor(
    private readonly fields: ReadonlySet<string>,
    private readonly exclude: boolean,
  ) {
    for (const field of fields) {
      for (let end = 0; end <= field.length; end += 1) this.prefixes.add(field.slice(0, end));
    }
  }

  /** The filter of a request's `fields` parameter, or undefined when it asks for everything. */
  static fromQuery(query: URLSearchParams): FieldFilter | undefined {
    let text = query.get('fields') ?? '';
    if (text === '') return undefined;
    const exclude = text.startsWith('-');
    if (exclude) text = text.slice(1);
    return new FieldFilter(new Set(text.split(',')), exclude);
  }

  /**
   * A trimmed copy of `value` (which must be JSON-serialisable) with sorted keys; members that
   * JSON leaves out (undefined) are left out, and what it would convert (toJSON) is converted.
   */
  apply(value: unknown): unknown {
    return this.trim(value, undefined);
  }

  /** `path` is the dotted path of `value`, undefined at the top. */
  private trim(value: unknown, path: string | undefined): unknown {
    const data = toJsonValue(value);
    if (Array.isArray(data)) return data.map((element) => this.trim(element, path));
    if (data === null || typeof data !== 'object') return data;
    const record = data as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of sortedKeys(record)) {
      const child = record[key];
      if (child === undefined) continue;
      const childPath = path === undefined ? key : `${path}.${key}`;
      if (this.fields.has(childPath)) {
        if (!this.exclude) out[key] = sortedCopy(child);
      } else if (this.prefixes.has(childPath)) {
        out[key] = this.trim(child, childPath);
      } else if (this.exclude) {
        // No listed path goes below here: nothing inside can be excluded.
        out[key] = sortedCopy(child);
      }
    }
    return out;
  }
}

/** A deep copy with every object's keys in sorted order, as Go writes a map. */
function sortedCopy(value: unknown): unknown {
  const data = toJsonValue(value);
  if (Array.isArray(data)) return data.map(sortedCopy);
  if (data === null || typeof data !== 'object') return data;
  const record = data as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(record)) {
    const child = record[key];
    if (child !== undefined) out[key] = sortedCopy(child);
  }
  return out;
}

/** What JSON.stringify would write for an object with a `toJSON` (a Date, say). */
function toJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const { toJSON } = value as { toJSON?: unknown };
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}

/** The keys in sorted order; most small objects already have them so, and skip the sort. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i += 1) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  }
  return keys;
}
