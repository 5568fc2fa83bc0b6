import type { NodePhase } from '../../workflow-types';

type Expr =
  | { kind: 'task'; task: string; result?: string }
  | { kind: 'not'; inner: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr };

/** What a DAG task's `depends` can ask of a dependency (`A.Succeeded`, `A.Failed`, ...). */
const RESULTS = [
  'Succeeded',
  'Failed',
  'Errored',
  'Skipped',
  'Omitted',
  'Daemoned',
  'AnySucceeded',
  'AllFailed',
];

/**
 * A parsed `depends` expression (`A && (B.Failed || !C.Succeeded)`). A bare task name means
 * `A.Succeeded || A.Skipped || A.Daemoned`, widened with Failed/Errored when that task has
 * `continueOn`, as Argo expands `dependencies`.
 */
export class DependsExpression {
  private constructor(private readonly root: Expr) {}

  /** `dependencies: [A, B]` is `A && B`. */
  static fromTask(task: { depends?: string; dependencies?: string[] }): DependsExpression | undefined {
    if (task.depends !== undefined && task.depends.trim() !== '')
      return DependsExpression.parse(task.depends);
    if (task.dependencies !== undefined && task.dependencies.length > 0) {
      return DependsExpression.parse(task.dependencies.join(' && '));
    }
    return undefined;
  }

  static parse(text: string): DependsExpression {
    const tokens = text.match(/&&|\|\||!|\(|\)|[A-Za-z0-9_.-]+|\S/g) ?? [];
    let i = 0;
    const peek = (): string | undefined => tokens[i];
    const next = (): string => {
      const token = tokens[i++];
      if (token === undefined) throw new Error(`invalid depends expression '${text}': unexpected end`);
      return token;
    };
    const primary = (): Expr => {
      const token = next();
      if (token === '!') return { kind: 'not', inner: primary() };
      if (token === '(') {
        const inner = or();
        if (next() !== ')') throw new Error(`invalid depends expression '${text}': missing ')'`);
        return inner;
      }
      if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(token)) {
        throw new Error(`invalid depends expression '${text}': unexpected '${token}'`);
      }
      const dot = token.lastIndexOf('.');
      const suffix = dot > 0 ? token.slice(dot + 1) : '';
      if (RESULTS.includes(suffix)) return { kind: 'task', task: token.slice(0, dot), result: suffix };
      return { kind: 'task', task: token };
    };
    const and = (): Expr => {
      let left = primary();
      while (peek() === '&&') {
        next();
        left = { kind: 'and', left, right: primary() };
      }
      return left;
    };
    const or = (): Expr => {
      let left = and();
      while (peek() === '||') {
        next();
        left = { kind: 'or', left, right: and() };
      }
      return left;
    };
    const root = or();
    if (i !== tokens.length)
      throw new Error(`invalid depends expression '${text}': unexpected '${tokens[i] ?? ''}'`);
    return new DependsExpression(root);
  }

  /** The task names the expression refers to, in order of appearance. */
  tasks(): string[] {
    const out: string[] = [];
    const walk = (e: Expr): void => {
      if (e.kind === 'task') {
        if (!out.includes(e.task)) out.push(e.task);
      } else if (e.kind === 'not') walk(e.inner);
      else {
        walk(e.left);
        walk(e.right);
      }
    };
    walk(this.root);
    return out;
  }

  /** Evaluates against the (fulfilled) phases of the dependencies. */
  evaluate(
    phaseOf: (task: string) => NodePhase | undefined,
    continuesOn: (task: string) => NodePhase[],
  ): boolean {
    const walk = (e: Expr): boolean => {
      switch (e.kind) {
        case 'not':
          return !walk(e.inner);
        case 'and':
          return walk(e.left) && walk(e.right);
        case 'or':
          return walk(e.left) || walk(e.right);
        case 'task': {
          const phase = phaseOf(e.task);
          if (e.result === undefined) {
            return (
              phase === 'Succeeded' || phase === 'Skipped' || continuesOn(e.task).includes(phase ?? 'Pending')
            );
          }
          return matchesResult(phase, e.result);
        }
      }
    };
    return walk(this.root);
  }
}

function matchesResult(phase: NodePhase | undefined, result: string): boolean {
  switch (result) {
    case 'Succeeded':
    case 'AnySucceeded':
      return phase === 'Succeeded';
    case 'Failed':
    case 'AllFailed':
      return phase === 'Failed';
    case 'Errored':
      return phase === 'Error';
    case 'Skipped':
      return phase === 'Skipped';
    case 'Omitted':
      return phase === 'Omitted';
    default:
      return false;
  }
}
