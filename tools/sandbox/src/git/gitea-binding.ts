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
  type: 'string' | 'bool';
  rules?: Rule[];
}

/** A bound option: each field's value (Go's zero value when the body left it out). */
export class BoundValues {
  constructor(private readonly values: Record<string, string | boolean>) {}

  text(key: string): string {
    const value = this.values[key];
    return typeof value === 'string' ? value : '';
  }

  flag(key: string): boolean {
    return this.values[key] === true;
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
  return { ok: true, values: new BoundValues(decoded.values) };
}

interface Decoded {
  values: Record<string, string | boolean>;
  error?: { fields: string[]; message: string };
}

function failed(fields: string[], message: string): Bound {
  return { ok: false, message: `[${fields.join(' ')}]: ${message}` };
}

/** encoding/json into the struct: wrong types are reported as Go reports them. */
function fromJson(text: string, struct: string, fields: FieldSpec[]): Decoded {
  const values = defaults(fields);
  if (text.trim() === '') return { values }; // io.EOF: nothing decoded, not an error
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { values, error: { fields: [], message: goSyntaxError(text) } };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const kind = body === null ? undefined : jsonKind(body);
    return kind === undefined
      ? { values }
      : {
          values,
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
    if ((field.type === 'bool' && kind !== 'bool') || (field.type === 'string' && kind !== 'string')) {
      error ??= {
        fields: [],
        message: `json: cannot unmarshal ${kind} into Go struct field ${struct}.${field.key} of type ${field.type}`,
      };
      continue;
    }
    values[field.key] = value as string | boolean;
  }
  return { values, error };
}

function fromForm(text: string, fields: FieldSpec[]): Decoded {
  const form = new URLSearchParams(text);
  const values = defaults(fields);
  for (const field of fields) {
    const raw = form.get(field.key);
    if (raw === null) continue;
    if (field.type === 'string') values[field.key] = raw;
    else if (raw === 'on' || raw === '') values[field.key] = raw === 'on';
    else if (/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(raw))
      values[field.key] = /^(1|t|T|TRUE|true|True)$/.test(raw);
    else return { values, error: { fields: [field.key], message: 'Value could not be parsed as boolean' } };
  }
  return { values };
}

function defaults(fields: FieldSpec[]): Record<string, string | boolean> {
  return Object.fromEntries(fields.map((f) => [f.key, f.type === 'bool' ? false : '']));
}

function ruleProblem(field: FieldSpec, value: string | boolean | undefined): string | undefined {
  const text = String(value ?? '');
  const zero = value === undefined || value === '' || value === false;
  for (const rule of field.rules ?? []) {
    if (rule === 'Required') {
      if (zero) return 'Required';
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
