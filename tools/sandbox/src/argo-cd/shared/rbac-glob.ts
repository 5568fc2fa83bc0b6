/**
 * Argo CD's glob match (`util/glob` over gobwas/glob): `*` matches any run of characters, `?` one
 * character, `[abc]` / `[a-z]` / `[!a-z]` a class, `{a,b}` alternatives (nestable) and `\x` the
 * character x. With `separators` (AppProject source repositories use `/`), `*` and `?` do not
 * match a separator and `**` matches anything; without (RBAC), `*` crosses everything. A pattern
 * that does not compile matches nothing, as Argo CD logs and returns false.
 */
export function globMatch(pattern: string, text: string, separators = ''): boolean {
  const key = `${separators}\0${pattern}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compile(pattern, separators);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, compiled);
  }
  return compiled !== null && compiled.test(text);
}

// Argo CD bounds its compiled-pattern cache too (policies can be large, patterns are few).
const CACHE_SIZE = 10_000;
const cache = new Map<string, RegExp | null>();

function compile(pattern: string, separators: string): RegExp | null {
  try {
    const { source, end } = sequence(pattern, 0, false, separators);
    if (end !== pattern.length) return null;
    return new RegExp(`^${source}$`, 's');
  } catch {
    return null;
  }
}

/** Translates until the end, or (inside braces) until the `,` or `}` that ends an alternative. */
function sequence(
  pattern: string,
  start: number,
  inBraces: boolean,
  separators: string,
): { source: string; end: number } {
  // gobwas: `*` is Any(separators), `**` Super, `?` Single(separators).
  const notSeparator = separators === '' ? '.' : `[^${[...separators].map(escapeClass).join('')}]`;
  let source = '';
  let i = start;
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    if (inBraces && (c === ',' || c === '}')) break;
    switch (c) {
      case '*':
        if (pattern[i + 1] === '*') {
          source += '.*';
          i += 2;
        } else {
          source += `${notSeparator}*`;
          i += 1;
        }
        break;
      case '?':
        source += notSeparator;
        i += 1;
        break;
      case '\\':
        if (i + 1 >= pattern.length) throw new Error('unterminated escape');
        source += escapeRegExp(pattern[i + 1] ?? '');
        i += 2;
        break;
      case '[': {
        const { source: cls, end } = characterClass(pattern, i);
        source += cls;
        i = end;
        break;
      }
      case '{': {
        const alternatives: string[] = [];
        i += 1;
        for (;;) {
          const alt = sequence(pattern, i, true, separators);
          alternatives.push(alt.source);
          i = alt.end;
          if (pattern[i] === ',') {
            i += 1;
            continue;
          }
          if (pattern[i] === '}') {
            i += 1;
            break;
          }
          throw new Error('unterminated {');
        }
        source += `(?:${alternatives.join('|')})`;
        break;
      }
      default:
        source += escapeRegExp(c);
        i += 1;
    }
  }
  return { source, end: i };
}

function characterClass(pattern: string, start: number): { source: string; end: number } {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!') {
    negate = true;
    i += 1;
  }
  let body = '';
  while (i < pattern.length && pattern[i] !== ']') {
    const c = pattern[i] ?? '';
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      body += `${escapeClass(c)}-${escapeClass(pattern[i + 2] ?? '')}`;
      i += 3;
    } else {
      body += escapeClass(c);
      i += 1;
    }
  }
  if (i >= pattern.length || body === '') throw new Error('bad character class');
  return { source: `[${negate ? '^' : ''}${body}]`, end: i + 1 };
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function escapeClass(c: string): string {
  return c.replace(/[\]\\^-]/g, '\\$&');
}
