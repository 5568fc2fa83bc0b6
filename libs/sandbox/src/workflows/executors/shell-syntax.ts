/**
 * The POSIX sh subset the sandbox interprets for images it emulates (argocd, kaniko, buildkit):
 * simple commands separated by newlines, `;`, `&&` and `||`; words with '...', "...", \ escapes
 * and `$VAR`, `${VAR}`, `${VAR:-default}` (and `-`, `:=`, `:?`, `:+`, `#`); `NAME=value`
 * assignments; redirections `>`, `>>`, `2>`, `2>&1`, `>&2`; comments and line continuations.
 * Anything else (pipes, `$(...)`, `if`/`for`, subshells, here-documents) is refused with a
 * ShellSyntaxError naming it, rather than being run wrongly.
 */

export type WordPart =
  { kind: 'lit'; text: string; quoted: boolean } | { kind: 'var'; expr: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  fd: 1 | 2;
  op: '>' | '>>' | '>&';
  target: Word | 1 | 2;
}

export interface SimpleCommand {
  assignments: Array<{ name: string; value: Word }>;
  words: Word[];
  redirects: Redirect[];
  line: number;
}

export interface AndOrList {
  commands: SimpleCommand[];
  /** Operators between commands: ops[i] joins commands[i] and commands[i+1]. */
  ops: Array<'&&' | '||'>;
}

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

type Token = { t: 'word'; word: Word; line: number } | { t: 'op'; op: string; line: number; fd?: 1 | 2 };

const KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'for',
  'while',
  'until',
  'do',
  'done',
  'case',
  'esac',
  'function',
  '{',
  '}',
  '!',
  '[[',
]);

export function parseScript(script: string): AndOrList[] {
  const tokens = tokenize(script);
  const lists: AndOrList[] = [];
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  while (i < tokens.length) {
    const token = peek();
    if (token?.t === 'op' && (token.op === '\n' || token.op === ';')) {
      i += 1;
      continue;
    }
    const list: AndOrList = { commands: [], ops: [] };
    for (;;) {
      const command: SimpleCommand = { assignments: [], words: [], redirects: [], line: token?.line ?? 1 };
      for (;;) {
        const next = peek();
        if (next === undefined || (next.t === 'op' && ['\n', ';', '&&', '||'].includes(next.op))) break;
        i += 1;
        if (next.t === 'op') {
          const target = peek();
          if (next.op === '>&') {
            if (target?.t !== 'word')
              throw new ShellSyntaxError(`line ${next.line}: redirection without a target`);
            i += 1;
            const fd = literal(target.word);
            if (fd !== '1' && fd !== '2')
              throw new ShellSyntaxError(`line ${next.line}: unsupported redirection >&${fd ?? '?'}`);
            command.redirects.push({ fd: next.fd ?? 1, op: '>&', target: fd === '1' ? 1 : 2 });
            continue;
          }
          if (target?.t !== 'word')
            throw new ShellSyntaxError(`line ${next.line}: redirection without a target`);
          i += 1;
          command.redirects.push({ fd: next.fd ?? 1, op: next.op as '>' | '>>', target: target.word });
          continue;
        }
        const assignment = command.words.length === 0 ? asAssignment(next.word) : undefined;
        if (assignment !== undefined) command.assignments.push(assignment);
        else command.words.push(next.word);
      }
      const name = command.words[0] === undefined ? undefined : literal(command.words[0]);
      if (name !== undefined && KEYWORDS.has(name)) {
        throw new ShellSyntaxError(`line ${command.line}: '${name}' (compound commands) is not supported`);
      }
      list.commands.push(command);
      const op = peek();
      if (op?.t === 'op' && (op.op === '&&' || op.op === '||')) {
        i += 1;
        list.ops.push(op.op);
        while (peek()?.t === 'op' && (peek() as { op: string }).op === '\n') i += 1;
        continue;
      }
      break;
    }
    lists.push(list);
  }
  return lists;
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

function asAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word.parts[0];
  if (first?.kind !== 'lit' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (m === null) return undefined;
  const rest = first.text.slice(m[0].length);
  const parts: WordPart[] = [...(rest === '' ? [] : [{ ...first, text: rest }]), ...word.parts.slice(1)];
  return { name: m[1] ?? '', value: { parts } };
}

function tokenize(src: string): Token[] {
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
