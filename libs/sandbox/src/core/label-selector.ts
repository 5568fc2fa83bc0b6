import { StoreError } from './store-errors';

type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

/** A parsed Kubernetes label selector (equality- and set-based). */
export class LabelSelector {
  private constructor(private readonly requirements: Requirement[]) {}

  static readonly everything = new LabelSelector([]);

  /** Parses `a=b,c!=d,e in (f,g),!h,i`; throws a BadRequest StoreError on bad syntax. */
  static parse(text: string | undefined): LabelSelector {
    if (text === undefined || text.trim() === '') return LabelSelector.everything;
    return new LabelSelector(splitTopLevel(text).map(parseRequirement));
  }

  /** The selector of `matchLabels` (all must be equal). */
  static fromLabels(labels: Record<string, string>): LabelSelector {
    return new LabelSelector(Object.entries(labels).map(([key, value]) => ({ op: 'eq', key, value })));
  }

  matches(labels: Record<string, string> | undefined): boolean {
    const l = labels ?? {};
    return this.requirements.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      const value = l[r.key];
      switch (r.op) {
        case 'eq':
          return has && value === r.value;
        case 'neq':
          return !has || value !== r.value;
        case 'in':
          return has && r.values.includes(value ?? '');
        case 'notin':
          return !has || !r.values.includes(value ?? '');
        case 'exists':
          return has;
        case 'notexists':
          return !has;
      }
    });
  }
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts.filter((p) => p !== '');
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;

function parseRequirement(text: string): Requirement {
  let m = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(text);
  if (m) return { op: m[3] === '!=' ? 'neq' : 'eq', key: m[1] ?? '', value: m[4] ?? '' };
  m = new RegExp(`^(${KEY})\\s+(in|notin)\\s+\\(([^)]*)\\)$`).exec(text);
  if (m) {
    const values = (m[4] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return { op: m[3] === 'in' ? 'in' : 'notin', key: m[1] ?? '', values };
  }
  m = new RegExp(`^(!?)\\s*(${KEY})$`).exec(text);
  if (m) return { op: m[1] === '!' ? 'notexists' : 'exists', key: m[2] ?? '' };
  throw new StoreError('BadRequest', `unable to parse requirement: ${JSON.stringify(text)}`);
}
