export type WordPart =
  { kind: 'lit'; text: string; quoted: boolean } | { kind: 'var'; expr: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

/** The word's text when it has no expansions, else undefined. */
export function literal(word: Word): string | undefined {
  let text = '';
  for (const part of word.parts) {
    if (part.kind !== 'lit') return undefined;
    text += part.text;
  }
  return text;
}

/** A word, or an operator (newline, `;`, `&&`, `||`, `>`, `>>`, `>&` with an optional fd). */
export type Token =
  { t: 'word'; word: Word; line: number } | { t: 'op'; op: string; line: number; fd?: 1 | 2 };

/** Splits a script into words and operators, refusing the sh syntax the sandbox does not interpret. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const unsupported = (what: string): never => {
    throw new ShellSyntaxError(`line ${line}: ${what} is not supported`);
  };
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r') {
      i += 1;
    } else if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      line += 1;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i += 1;
    } else if (c === '\n') {
      tokens.push({ t: 'op', op: '\n', line });
      line += 1;
      i += 1;
    } else if (c === ';') {
      if (src[i + 1] === ';') unsupported("';;'");
      tokens.push({ t: 'op', op: ';', line });
      i += 1;
    } else if (c === '&') {
      if (src[i + 1] !== '&') unsupported("'&' (background jobs)");
      tokens.push({ t: 'op', op: '&&', line });
      i += 2;
    } else if (c === '|') {
      if (src[i + 1] !== '|') unsupported("'|' (pipes)");
      tokens.push({ t: 'op', op: '||', line });
      i += 2;
    } else if (c === '>') {
      i = redirect(src, i, undefined, tokens, line);
    } else if (c === '<') {
      unsupported("'<' (input redirection and here-documents)");
    } else if (c === '(' || c === ')') {
      unsupported(`'${c}' (subshells)`);
    } else {
      const start = i;
      const read = readWord(src, i, unsupported);
      i = read.end;
      line += read.lines;
      const fd = literal(read.word);
      if ((fd === '1' || fd === '2') && src[i] === '>' && i === start + 1) {
        i = redirect(src, i, fd === '1' ? 1 : 2, tokens, line);
        continue;
      }
      tokens.push({ t: 'word', word: read.word, line });
    }
  }
  return tokens;
}

function redirect(src: string, i: number, fd: 1 | 2 | undefined, tokens: Token[], line: number): number {
  if (src[i + 1] === '>') {
    tokens.push({ t: 'op', op: '>>', line, ...(fd !== undefined ? { fd } : {}) });
    return i + 2;
  }
  if (src[i + 1] === '&') {
    tokens.push({ t: 'op', op: '>&', line, ...(fd !== undefined ? { fd } : {}) });
    return i + 2;
  }
  tokens.push({ t: 'op', op: '>', line, ...(fd !== undefined ? { fd } : {}) });
  return i + 1;
}

function readWord(
  src: string,
  start: number,
  unsupported: (what: string) => never,
): { word: Word; end: number; lines: number } {
  const parts: WordPart[] = [];
  let i = start;
  let lines = 0;
  const lit = (text: string, quoted: boolean): void => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'lit' && last.quoted === quoted) last.text += text;
    else parts.push({ kind: 'lit', text, quoted });
  };
  const dollar = (quoted: boolean): void => {
    const next = src[i + 1] ?? '';
    if (next === '(') unsupported("'$(...)' (command substitution)");
    if (next === '{') {
      const close = src.indexOf('}', i + 2);
      if (close < 0) unsupported("an unterminated '${'");
      parts.push({ kind: 'var', expr: src.slice(i + 2, close), quoted });
      i = close + 1;
      return;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!-])/.exec(src.slice(i + 1));
    if (m === null) {
      lit('$', quoted);
      i += 1;
      return;
    }
    parts.push({ kind: 'var', expr: m[1] ?? '', quoted });
    i += 1 + (m[1] ?? '').length;
  };
  while (i < src.length) {
    const c = src[i] ?? '';
    if (' \t\r\n;&|<>()'.includes(c)) break;
    if (c === '`') unsupported("'`...`' (command substitution)");
    if (c === '\\') {
      if (src[i + 1] === '\n') {
        i += 2;
        lines += 1;
        continue;
      }
      lit(src[i + 1] ?? '', true);
      i += 2;
    } else if (c === "'") {
      const close = src.indexOf("'", i + 1);
      if (close < 0) unsupported('an unterminated quote');
      const text = src.slice(i + 1, close);
      lines += text.split('\n').length - 1;
      lit(text, true);
      i = close + 1;
    } else if (c === '"') {
      i += 1;
      for (;;) {
        const d = src[i];
        if (d === undefined) unsupported('an unterminated quote');
        if (d === '"') {
          i += 1;
          break;
        }
        if (d === '`') unsupported("'`...`' (command substitution)");
        if (d === '\\' && '$`"\\\n'.includes(src[i + 1] ?? '')) {
          if (src[i + 1] !== '\n') lit(src[i + 1] ?? '', true);
          else lines += 1;
          i += 2;
        } else if (d === '$') {
          dollar(true);
        } else {
          if (d === '\n') lines += 1;
          lit(d, true);
          i += 1;
        }
      }
      if (parts.length === 0) lit('', true);
    } else if (c === '$') {
      dollar(false);
    } else {
      lit(c, false);
      i += 1;
    }
  }
  return { word: { parts }, end: i, lines };
}
