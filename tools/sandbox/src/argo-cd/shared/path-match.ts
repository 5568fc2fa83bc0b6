/**
 * Go's `path/filepath.Match` on Linux, which AppProjects use for the group, kind and name of their
 * resource white- and blacklists: `*` matches any run of characters but `/`, `?` one character
 * but `/`, `[a-z]` / `[^a-z]` a class, `\x` the character x. A malformed pattern is Go's
 * ErrBadPattern, which Argo CD treats as no match.
 */
export function pathMatch(pattern: string, name: string): boolean {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    compiled = compile(pattern);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled !== null && compiled.test(name);
}

const CACHE_SIZE = 1_000;
const cache = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  let source = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      source += '[^/]*';
      i += 1;
    } else if (c === '?') {
      source += '[^/]';
      i += 1;
    } else if (c === '\\') {
      if (i + 1 >= pattern.length) return null;
      source += escapeRegExp(pattern[i + 1] ?? '');
      i += 2;
    } else if (c === '[') {
      const cls = characterClass(pattern, i);
      if (cls === null) return null;
      source += cls.source;
      i = cls.end;
    } else {
      source += escapeRegExp(c);
      i += 1;
    }
  }
  return new RegExp(`^${source}$`, 's');
}

/** `[^lo-hi\]x]`: Go needs at least one range before `]` closes the class. */
function characterClass(pattern: string, start: number): { source: string; end: number } | null {
  let i = start + 1;
  let negated = false;
  if (pattern[i] === '^') {
    negated = true;
    i += 1;
  }
  let body = '';
  let ranges = 0;
  for (;;) {
    if (i >= pattern.length) return null;
    if (pattern[i] === ']' && ranges > 0) return { source: `[${negated ? '^' : ''}${body}]`, end: i + 1 };
    const lo = escaped(pattern, i);
    if (lo === null) return null;
    i = lo.end;
    let hi = lo.char;
    if (pattern[i] === '-') {
      const upper = escaped(pattern, i + 1);
      if (upper === null) return null;
      hi = upper.char;
      i = upper.end;
    }
    // Go's `lo <= r && r <= hi`: an inverted range matches nothing (a RegExp would throw).
    if (lo.char <= hi)
      body += lo.char === hi ? escapeClass(lo.char) : `${escapeClass(lo.char)}-${escapeClass(hi)}`;
    ranges += 1;
  }
}

/** Go's `getEsc`: one class character, `\`-escaped or plain; `-` and `]` unescaped are errors. */
function escaped(pattern: string, i: number): { char: string; end: number } | null {
  let c = pattern[i];
  if (c === undefined || c === '-' || c === ']') return null;
  let end = i + 1;
  if (c === '\\') {
    c = pattern[i + 1];
    if (c === undefined) return null;
    end = i + 2;
  }
  return end > pattern.length ? null : { char: c, end };
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function escapeClass(c: string): string {
  return c.replace(/[\]\\^-]/g, '\\$&');
}
