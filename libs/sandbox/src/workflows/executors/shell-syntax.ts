import { literal, ShellSyntaxError, tokenize, type Token, type Word, type WordPart } from './shell-lexer';

export { literal, ShellSyntaxError, type Word, type WordPart } from './shell-lexer';

// Compound commands and reserved words the interpreter refuses by name.
const KEYWORDS = new Set(
  'if then else elif fi for while until do done case esac function { } ! [['.split(' '),
);

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

/**
 * The POSIX sh subset the sandbox interprets for images it emulates (argocd, kaniko, buildkit):
 * simple commands separated by newlines, `;`, `&&` and `||`; words with '...', "...", \ escapes
 * and `$VAR`, `${VAR}`, `${VAR:-default}` (and `-`, `:=`, `:?`, `:+`, `#`); `NAME=value`
 * assignments; redirections `>`, `>>`, `2>`, `2>&1`, `>&2`; comments and line continuations.
 * Anything else (pipes, `$(...)`, `if`/`for`, subshells, here-documents) is refused with a
 * ShellSyntaxError naming it, rather than being run wrongly.
 */
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

function asAssignment(word: Word): { name: string; value: Word } | undefined {
  const first = word.parts[0];
  if (first?.kind !== 'lit' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (m === null) return undefined;
  const rest = first.text.slice(m[0].length);
  const parts: WordPart[] = [...(rest === '' ? [] : [{ ...first, text: rest }]), ...word.parts.slice(1)];
  return { name: m[1] ?? '', value: { parts } };
}
