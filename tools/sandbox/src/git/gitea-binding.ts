import type { IncomingMessage } from 'node:http';
import { readText } from '../core/http-kit';
import { isAlphaDashDot, isValidRefName, isValidUsername } from './gitea-names';

/** One binding rule of a Gitea option struct's `binding:"..."` tag. */
export type Rule =
  'Required' | 'AlphaDashDot' | 'Username' | 'GitRefName' | { maxSize: number } | { in: string[] };

export interface FieldSpec {
  /** The Go field name, which error messages use (`[Name]: Required`). */
  go: string;
  /** The JSON (and form) key. */
  key: string;
  /**
   * `object` is a nested struct (Go type in `goType`, e.g. `structs.ExternalWiki`): the sandbox
   * accepts any JSON object there and keeps nothing of it.
   */
  type: 'string' | 'bool' | 'object';
  goType?: string;
  rules?: Rule[];
}

/**
 * A bound option: each field's value (Go's zero value when the body left it out), and whether the
 * body set it (a pointer field of an `Edit…Option` is nil unless the body gives a non-null value).
 */
export class BoundValues {
  constructor(
    private readonly values: Record<string, string | boolean>,
    private readonly given: ReadonlySet<string> = new Set(),
  ) {}

  text(key: string): string {
    const value = this.values[key];
    return typeof value === 'string' ? value : '';
  }

  flag(key: string): boolean {
    return this.values[key] === true;
  }

  has(key: string): boolean {
    return this.given.has(key);
  }
}

export type Bound = { ok: true; values: BoundValues } | { ok: false; message: string };

/**
 * Gitea's `bind(api.X{})` middleware (gitea.com/go-chi/binding): the body is decoded by its
 * Content-Type (JSON, or form fields for `application/x-www-form-urlencoded`; anything else is
 * refused), then the fields' rules are checked in struct order, and the FIRST error becomes the
 * 422 message `"[Field]: Rule"` (routers/api/v1/api.go `bind`). Unknown keys are ignored.
 */
export async function bind(req: IncomingMessage, struct: string, fields: FieldSpec[]): Promise<Bound> {
  const contentType = req.headers['content-type'] ?? '';
  const text = await readText(req, 1024 * 1024);
  let decoded: Decoded;
  if (contentType.includes('form-urlencoded')) decoded = fromForm(text, fields);
  else if (contentType.includes('multipart/form-data'))
    return failed([], 'multipart bodies are not supported by the sandbox');
  else if (contentType.includes('json')) decoded = fromJson(text, struct, fields);
  else return failed([], contentType === '' ? 'Empty Content-Type' : 'Unsupported Content-Type');
  if (decoded.error !== undefined) return failed(decoded.error.fields, decoded.error.message);
  for (const field of fields) {
    const problem = ruleProblem(field, decoded.values[field.key]);
    if (problem !== undefined) return failed([field.go], problem);
  }
  return { ok: true, values: new BoundValues(decoded.values, decoded.given) };
}

interface Decoded {
  values: Record<string, string | boolean>;
  given: Set<string>;
  error?: { fields: string[]; message: string };
}

function failed(fields: string[], message: string): Bound {
  return { ok: false, message: `[${fields.join(' ')}]: ${message}` };
}

/** encoding/json into the struct: wrong types are reported as Go reports them. */
function fromJson(text: string, struct: string, fields: FieldSpec[]): Decoded {
  const values = defaults(fields);
  const given = new Set<string>();
  if (text.trim() === '') return { values, given }; // io.EOF: nothing decoded, not an error
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { values, given, error: { fields: [], message: goSyntaxError(text) } };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const kind = body === null ? undefined : jsonKind(body);
    return kind === undefined
      ? { values, given }
      : {
          values,
          given,
          error: {
            fields: [],
            message: `json: cannot unmarshal ${kind} into Go value of type structs.${struct}`,
          },
        };
  }
  let error: Decoded['error'];
  for (const field of fields) {
    // encoding/json matches keys case-insensitively when no exact key exists.
    const key =
      Object.keys(body).find((k) => k === field.key) ??
      Object.keys(body).find((k) => k.toLowerCase() === field.key.toLowerCase());
    if (key === undefined) continue;
    const value = (body as Record<string, unknown>)[key];
    if (value === null) continue;
    const kind = jsonKind(value);
    const wanted = field.type === 'object' ? 'object' : field.type;
    if (kind !== wanted) {
      error ??= {
        fields: [],
        message: `json: cannot unmarshal ${kind} into Go struct field ${struct}.${field.key} of type ${field.goType ?? field.type}`,
      };
      continue;
    }
    given.add(field.key);
    if (field.type !== 'object') values[field.key] = value as string | boolean;
  }
  return { values, given, error };
}

function fromForm(text: string, fields: FieldSpec[]): Decoded {
  const form = new URLSearchParams(text);
  const values = defaults(fields);
  const given = new Set<string>();
  for (const field of fields) {
    const raw = form.get(field.key);
    // mapForm sets only string, number and bool kinds: a struct (or a pointer) stays unset.
    if (raw === null || field.type === 'object') continue;
    given.add(field.key);
    if (field.type === 'string') values[field.key] = raw;
    else if (raw === 'on' || raw === '') values[field.key] = raw === 'on';
    else if (/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(raw))
      values[field.key] = /^(1|t|T|TRUE|true|True)$/.test(raw);
    else
      return {
        values,
        given,
        error: { fields: [field.key], message: 'Value could not be parsed as boolean' },
      };
  }
  return { values, given };
}

function defaults(fields: FieldSpec[]): Record<string, string | boolean> {
  return Object.fromEntries(fields.map((f) => [f.key, f.type === 'bool' ? false : '']));
}

/**
 * validateField: a zero value is checked for `Required` only, any other value against every rule
 * but `Required` and `OmitEmpty`. Gitea runs the rules of a pointer field on the value it points
 * to (a `name` of `"a b"` in EditRepoOption is `[Name]: AlphaDashDot`, Gitea's tests send
 * `projects_mode` through `In(repo,owner,all)`), so an absent field and one given as `""` or
 * `false` are zero alike.
 */
function ruleProblem(field: FieldSpec, value: string | boolean | undefined): string | undefined {
  const text = String(value ?? '');
  const zero = value === undefined || value === '' || value === false;
  if (zero) return field.rules?.includes('Required') === true ? 'Required' : undefined;
  for (const rule of field.rules ?? []) {
    if (rule === 'Required') {
      continue;
    } else if (rule === 'AlphaDashDot') {
      if (!isAlphaDashDot(text)) return 'AlphaDashDot';
    } else if (rule === 'Username') {
      if (!isValidUsername(text)) return 'invalid username';
    } else if (rule === 'GitRefName') {
      if (!isValidRefName(text)) return 'GitRefName';
    } else if ('maxSize' in rule) {
      if ([...text].length > rule.maxSize) return 'MaxSize';
    } else if (!rule.in.includes(text)) {
      return 'In';
    }
  }
  return undefined;
}

function jsonKind(value: unknown): string {
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * A JSON syntax error in encoding/json's words, as near as the position allows: the first
 * character that cannot start a value, or the input ending too soon.
 */
function goSyntaxError(text: string): string {
  const first = text.trimStart()[0] ?? '';
  if (!/[{["tfn\-0-9]/.test(first)) return `invalid character '${first}' looking for beginning of value`;
  return 'unexpected EOF';
}
