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
  if (m) return checked({ op: m[3] === '!=' ? 'neq' : 'eq', key: m[1] ?? '', value: m[4] ?? '' });
  m = new RegExp(`^(${KEY})\\s+(in|notin)\\s+\\(([^)]*)\\)$`).exec(text);
  if (m) {
    const values = (m[4] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return checked({ op: m[3] === 'in' ? 'in' : 'notin', key: m[1] ?? '', values });
  }
  m = new RegExp(`^(!?)\\s*(${KEY})$`).exec(text);
  if (m) return checked({ op: m[1] === '!' ? 'notexists' : 'exists', key: m[2] ?? '' });
  throw new StoreError('BadRequest', `unable to parse requirement: ${JSON.stringify(text)}`);
}

const MAX_NAME = 63;
const MAX_PREFIX = 253;

/**
 * The lengths apimachinery's NewRequirement checks beyond the characters: a key is a qualified
 * name (a name of at most 63 characters, after an optional DNS-subdomain prefix of at most 253
 * and a "/"), each value a label value of at most 63 (IsQualifiedName, IsValidLabelValue). The
 * API server answers 400 with the field error.
 */
function checked(requirement: Requirement): Requirement {
  const { key } = requirement;
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (name.length > MAX_NAME || prefix.length > MAX_PREFIX || key.indexOf('/') !== slash) {
    const problem =
      name.length > MAX_NAME
        ? `name part must be no more than ${MAX_NAME} characters`
        : prefix.length > MAX_PREFIX
          ? `prefix part must be no more than ${MAX_PREFIX} characters`
          : "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
    throw new StoreError('BadRequest', `key: Invalid value: ${JSON.stringify(key)}: ${problem}`);
  }
  const values =
    'values' in requirement ? requirement.values : 'value' in requirement ? [requirement.value] : [];
  values.forEach((value, i) => {
    if (value.length > MAX_NAME) {
      throw new StoreError(
        'BadRequest',
        `values[${i}][${key}]: Invalid value: ${JSON.stringify(value)}: must be no more than ${MAX_NAME} characters`,
      );
    }
  });
  return requirement;
}
