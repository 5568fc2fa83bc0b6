import { failureStatus, KubeApiError } from './status';
import { strategicMergePatch } from './strategic-merge';

/** The patch formats the server accepts; server-side apply (`apply-patch+yaml`) is not served. */
export type PatchType = 'json' | 'merge' | 'strategic';

const MEDIA_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

/**
 * The patch type of a Content-Type header; anything else is 415. Custom resources have no Go types
 * to take merge keys from, so, as on the real server, strategic merge is refused for them.
 */
export function patchTypeOf(contentType: string | undefined, customResource = false): PatchType {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const accepted = Object.keys(MEDIA_TYPES).filter(
    (media) => !customResource || MEDIA_TYPES[media] !== 'strategic',
  );
  const type = accepted.includes(mediaType) ? MEDIA_TYPES[mediaType] : undefined;
  if (type !== undefined) return type;
  throw new KubeApiError(
    failureStatus(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),
  );
}

/** Applies a patch document to a copy of `target`. */
export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  switch (type) {
    case 'strategic':
      return strategicMergePatch(target, patch);
    case 'merge':
      return mergePatch(target, patch);
    case 'json':
      return jsonPatch(target, patch);
  }
}

/** RFC 7386: objects merge recursively, `null` deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** RFC 6902 over a copy of `target`; a malformed document is 400, an inapplicable one 422. */
export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw KubeApiError.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc: unknown = structuredClone(target);
  for (const raw of patch as unknown[]) {
    const op = raw as Operation;
    if (!isObject(raw) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw KubeApiError.badRequest('json patch operation is missing "op" or "path"');
    }
    doc = applyOperation(doc, op);
  }
  return doc;
}

function applyOperation(doc: unknown, op: Operation): unknown {
  switch (op.op) {
    case 'add':
      return put(doc, op.path, structuredClone(op.value), 'add');
    case 'replace':
      get(doc, op.path, op);
      return put(doc, op.path, structuredClone(op.value), 'replace');
    case 'remove':
      return remove(doc, op.path, op);
    case 'move': {
      const value = get(doc, fromOf(op), op);
      return put(remove(doc, fromOf(op), op), op.path, value, 'add');
    }
    case 'copy':
      return put(doc, op.path, structuredClone(get(doc, fromOf(op), op)), 'add');
    case 'test':
      if (JSON.stringify(get(doc, op.path, op)) !== JSON.stringify(op.value)) {
        throw unprocessable(`testing value ${op.path} failed: test failed`);
      }
      return doc;
    default:
      throw KubeApiError.badRequest(`Unexpected kind: ${op.op}`);
  }
}

function fromOf(op: Operation): string {
  if (typeof op.from !== 'string')
    throw KubeApiError.badRequest(`${op.op} operation does not have a "from" path`);
  return op.from;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`invalid JSON pointer: ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: unknown, path: string, op: Operation): unknown {
  let node = doc;
  for (const token of pointer(path)) {
    if (Array.isArray(node) && /^\d+$/.test(token) && Number(token) < node.length) node = node[Number(token)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, token)) node = node[token];
    else throw unprocessable(`${op.op} operation does not apply: doc is missing path: "${path}"`);
  }
  return node;
}

/** Adds or replaces at `path`, returning the (possibly new) document root. */
function put(doc: unknown, path: string, value: unknown, mode: 'add' | 'replace'): unknown {
  const tokens = pointer(path);
  const last = tokens.pop();
  if (last === undefined) return value;
  const parent = get(doc, tokens.length === 0 ? '' : `/${tokens.map(escape).join('/')}`, { op: mode, path });
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    const max = mode === 'add' ? parent.length : parent.length - 1;
    if (!/^\d+$|^-$/.test(last) || index > max)
      throw unprocessable(`${mode} operation does not apply: doc is missing path: "${path}"`);
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) parent[last] = value;
  else throw unprocessable(`${mode} operation does not apply: doc is missing path: "${path}"`);
  return doc;
}

function remove(doc: unknown, path: string, op: Operation): unknown {
  const tokens = pointer(path);
  const last = tokens.pop();
  if (last === undefined) return undefined;
  get(doc, path, op);
  const parent = get(doc, tokens.length === 0 ? '' : `/${tokens.map(escape).join('/')}`, op);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
  return doc;
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the server answers when a well-formed JSON patch cannot be applied. */
function unprocessable(message: string): KubeApiError {
  return new KubeApiError(
    failureStatus(422, 'Invalid', 'the server rejected our request due to an error in our request', {
      causes: [{ reason: 'UnexpectedServerResponse', message }],
    }),
  );
}
