import { ShellSyntaxError, type Word } from './shell-syntax';

/** `exit N` (or a fatal expansion error) unwinds the interpreter with this. */
export class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ExitSignal';
  }
}

/**
 * The mutable state of one interpreted script — variables, current directory, `set` flags and
 * the last status — and sh's parameter expansion and field splitting over it.
 */
export class ShellState {
  readonly vars: Map<string, string>;
  errexit: boolean;
  nounset = false;
  xtrace = false;
  status = 0;

  constructor(
    env: Record<string, string>,
    /** Current directory as a container path. */
    public cwd: string,
    errexit: boolean,
    private readonly err: (text: string) => void,
  ) {
    this.vars = new Map(Object.entries(env));
    this.errexit = errexit;
  }

  /** Expands a word into fields: parameter expansion, then field splitting of unquoted results. */
  expand(word: Word): string[] {
    const fields: string[] = [];
    let current = '';
    let has = false;
    const flush = (): void => {
      if (has || current !== '') fields.push(current);
      current = '';
      has = false;
    };
    for (const part of word.parts) {
      if (part.kind === 'lit') {
        current += part.text;
        has = true;
        continue;
      }
      const value = this.parameter(part.expr);
      if (part.quoted) {
        current += value;
        has = true;
        continue;
      }
      value.split(/[ \t\n]+/).forEach((piece, i) => {
        if (i > 0) flush();
        current += piece;
      });
    }
    flush();
    return fields;
  }

  private parameter(expr: string): string {
    if (expr === '?') return String(this.status);
    if (expr === '$') return '1';
    if (expr === '#') return '0';
    if (expr.startsWith('#')) return String((this.vars.get(expr.slice(1)) ?? '').length);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*!-])(?:(:?)([-=?+])(.*))?$/s.exec(expr);
    if (m === null) throw new ShellSyntaxError(`bad substitution: \${${expr}}`);
    const [, name = '', colon, op, word = ''] = m;
    const value = this.vars.get(name);
    const unset = value === undefined || (colon === ':' && value === '');
    switch (op) {
      case '-':
        return unset ? this.expandText(word) : (value ?? '');
      case '=':
        if (unset) this.vars.set(name, this.expandText(word));
        return this.vars.get(name) ?? '';
      case '?':
        if (unset) this.fatal(`sh: ${name}: ${word === '' ? 'parameter not set' : this.expandText(word)}`);
        return value ?? '';
      case '+':
        return unset ? '' : this.expandText(word);
      default:
        if (value === undefined && this.nounset) this.fatal(`sh: ${name}: parameter not set`);
        return value ?? '';
    }
  }

  private expandText(text: string): string {
    return text.replace(
      /\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (_m, braced: string | undefined, bare: string | undefined) => this.parameter(braced ?? bare ?? ''),
    );
  }

  private fatal(message: string): never {
    this.err(`${message}\n`);
    throw new ExitSignal(2);
  }
}
