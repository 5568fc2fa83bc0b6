/** Values of `{{...}}` variables, keyed by their dotted name (`inputs.parameters.repo`). */
export type Scope = ReadonlyMap<string, string>;

export class UnresolvedVariableError extends Error {
  constructor(readonly variable: string) {
    super(`failed to resolve {{${variable}}}`);
    this.name = 'UnresolvedVariableError';
  }
}

const VARIABLE = /\{\{\s*([^{}=][^{}]*?)\s*\}\}/g;

/**
 * Replaces `{{name}}` with its value from `scope`. Names that start with one of `strict` must
 * resolve (Argo fails the node with "failed to resolve {{...}}"); any other unknown name is left
 * as written, so that text meant for later stages (`{{steps.x...}}` inside a steps template) or
 * for other tools (`{{ .Values.image }}` in a script) survives. Expression tags (`{{=...}}`) are
 * not evaluated.
 */
export function substitute(text: string, scope: Scope, strict: readonly string[] = []): string {
  return text.replace(VARIABLE, (whole, name: string) => {
    const value = scope.get(name);
    if (value !== undefined) return value;
    if (strict.some((prefix) => name.startsWith(prefix))) throw new UnresolvedVariableError(name);
    return whole;
  });
}

/** Applies {@link substitute} to every string inside a JSON-like value; returns a copy. */
export function substituteDeep<T>(value: T, scope: Scope, strict: readonly string[] = []): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return substitute(v, scope, strict);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[k] = walk(inner);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * Evaluates a `when` condition after substitution: comparisons with `==`, `!=`, `<`, `>`, `<=`,
 * `>=` (numeric when both sides are numbers, else string), joined by `&&` / `||` (no parentheses),
 * and the literals `true` / `false`. Quotes around operands are removed. Throws on anything else,
 * which fails the step as Argo does for an expression it cannot evaluate.
 */
export function evaluateWhen(expression: string): boolean {
  return expression.split('||').some((any) => any.split('&&').every((all) => evaluateComparison(all.trim())));
}

function evaluateComparison(text: string): boolean {
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/.exec(text);
  if (m === null) {
    const literal = unquote(text).toLowerCase();
    if (literal === 'true') return true;
    if (literal === 'false') return false;
    throw new Error(`Invalid 'when' expression '${text}': expected a comparison or true/false`);
  }
  const left = unquote(m[1] ?? '');
  const right = unquote(m[3] ?? '');
  const numeric = left !== '' && right !== '' && !Number.isNaN(Number(left)) && !Number.isNaN(Number(right));
  const [a, b] = numeric ? [Number(left), Number(right)] : [left, right];
  switch (m[2]) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}
