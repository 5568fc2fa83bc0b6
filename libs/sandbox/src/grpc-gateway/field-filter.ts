type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The `fields=` query parameter of argoproj/pkg's gateway marshaler: a comma list of kept paths
 * (`items.metadata.name,metadata`), or, with a leading `-`, of removed ones. Reproduces its quirks:
 * a key is kept when ANY listed path merely starts with the key's dotted path as a string prefix,
 * and the filtered document is re-marshalled from a Go map, so keys come out sorted.
 */
export class FieldFilter {
  private constructor(
    private readonly fields: ReadonlySet<string>,
    private readonly exclude: boolean,
  ) {}

  /** The filter of a request's `fields` parameter, or undefined when it asks for everything. */
  static fromQuery(query: URLSearchParams): FieldFilter | undefined {
    let text = query.get('fields') ?? '';
    if (text === '') return undefined;
    const exclude = text.startsWith('-');
    if (exclude) text = text.slice(1);
    return new FieldFilter(new Set(text.split(',')), exclude);
  }

  /** A trimmed deep copy of `value` (which must be JSON-serialisable). */
  apply(value: unknown): unknown {
    const data = JSON.parse(JSON.stringify(value)) as Json;
    this.processItem([], data);
    return sortKeys(data);
  }

  private processItem(path: string[], item: Json): void {
    if (Array.isArray(item)) {
      for (const element of item) this.processItem(path, element);
      return;
    }
    if (item === null || typeof item !== 'object') return;
    for (const key of Object.keys(item)) {
      const fieldPath = [...path, key].join('.');
      const pathIn = this.fields.has(fieldPath);
      const parentPathIn = pathIn || [...this.fields].some((field) => field.startsWith(fieldPath));
      const keep = this.exclude ? !pathIn : parentPathIn;
      if (!keep) delete item[key];
      else if (!pathIn) this.processItem([...path, key], item[key] ?? null);
    }
  }
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key] ?? null);
  return sorted;
}
