import { failureStatus, KubeApiError } from './status';

/**
 * Which version a list is read at, from `resourceVersion` and `resourceVersionMatch` as the API
 * server reads them (apimachinery ValidateListOptions; apiserver's cacher and etcd3 store):
 * `Exact` reads that version (410 once it fell out of the history); `NotOlderThan` (or a bare
 * version) and `0` read the latest, which is never older. Undefined means the latest.
 */
export function exactListVersion(query: URLSearchParams, current: number): number | undefined {
  const version = query.get('resourceVersion') ?? '';
  const match = query.get('resourceVersionMatch') ?? '';
  const problems: Array<{ reason: string; message: string; field: string }> = [];
  if (match !== '') {
    if (version === '') {
      problems.push(forbidden('resourceVersionMatch is forbidden unless resourceVersion is provided'));
    }
    if ((query.get('continue') ?? '') !== '') {
      problems.push(forbidden('resourceVersionMatch is forbidden when continue is provided'));
    }
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      problems.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan", ""`,
        field: 'resourceVersionMatch',
      });
    }
    if (match === 'Exact' && version === '0') {
      problems.push(forbidden('resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.field}: ${p.message}`);
    const joined = summary.length === 1 ? (summary[0] ?? '') : `[${summary.join(', ')}]`;
    throw new KubeApiError(
      failureStatus(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${joined}`, {
        group: 'meta.k8s.io',
        kind: 'ListOptions',
        causes: problems,
      }),
    );
  }
  if (version === '' || version === '0') return undefined;
  if (!/^\d+$/.test(version)) {
    throw KubeApiError.badRequest(
      `invalid resource version: strconv.ParseUint: parsing "${version}": invalid syntax`,
    );
  }
  const requested = Number(version);
  if (match === 'Exact') return requested;
  // Not older than: the latest serves it, unless the client asks for a version not reached yet.
  if (requested > current) return requested;
  return undefined;
}

function forbidden(message: string): { reason: string; message: string; field: string } {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${message}`, field: 'resourceVersionMatch' };
}
