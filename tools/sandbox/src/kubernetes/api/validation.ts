import type { KubeObject } from '../../core/kube-object';
import { Kinds, type ResourceKind } from '../../core/resource-kinds';
import { type FieldError, KubeApiError } from './status';
import { workloadErrors } from './workload-validation';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const RFC3339_MICRO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

const SUBDOMAIN_HELP =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_HELP =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const VALUE_HELP =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const KEY_HELP =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** MicroTime fields per kind: the server parses them with exactly six fractional digits. */
const MICRO_TIME_FIELDS = new Map<ResourceKind, string[][]>([
  [
    Kinds.Lease,
    [
      ['spec', 'acquireTime'],
      ['spec', 'renewTime'],
    ],
  ],
  [Kinds.Event, [['eventTime'], ['series', 'lastObservedTime']]],
]);

/**
 * Refuses what a real API server would refuse on create and update, so that client bugs (a user id
 * with `@` in a label, a Lease renewTime written as a plain Date) show up against the sandbox too.
 */
export function validateObject(kind: ResourceKind, object: KubeObject): void {
  checkMicroTimes(kind, object);
  const name = object.metadata.name ?? '';
  const errors: FieldError[] = [];
  const nameOk =
    kind === Kinds.Namespace
      ? DNS1123_LABEL.test(name) && name.length <= 63
      : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
  if (!nameOk) {
    const help = kind === Kinds.Namespace ? LABEL_HELP : SUBDOMAIN_HELP;
    errors.push(invalidValue('metadata.name', name, help));
  }
  errors.push(...labelErrors(object.metadata.labels, 'metadata.labels'));
  errors.push(...workloadErrors(kind, object));
  if (errors.length > 0) throw KubeApiError.invalid(kind, name, errors);
}

/** What is wrong with a label map's keys and values, reported under `field`. */
export function labelErrors(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyError = labelKeyError(key);
    if (keyError !== undefined) errors.push(invalidValue(field, key, keyError));
    if (typeof value !== 'string' || value.length > 63) {
      errors.push(invalidValue(field, String(value), 'must be no more than 63 characters'));
    } else if (!LABEL_VALUE.test(value)) errors.push(invalidValue(field, value, VALUE_HELP));
  }
  return errors;
}

function labelKeyError(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (!DNS1123_SUBDOMAIN.test(prefix) || prefix.length > 253)) {
    return `prefix part ${SUBDOMAIN_HELP}`;
  }
  if (name.length === 0 || name.length > 63) return 'name part must be no more than 63 characters';
  return QUALIFIED_NAME.test(name) ? undefined : KEY_HELP;
}

function invalidValue(field: string, value: string, help: string): FieldError {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${help}`, field };
}

/** A MicroTime in any other shape fails JSON decoding on the server: 400, not 422. */
function checkMicroTimes(kind: ResourceKind, object: KubeObject): void {
  for (const path of MICRO_TIME_FIELDS.get(kind) ?? []) {
    let node: unknown = object;
    for (const segment of path) node = (node as Record<string, unknown> | null | undefined)?.[segment];
    if (node === undefined || node === null) continue;
    if (typeof node !== 'string' || !RFC3339_MICRO.test(node)) {
      const text = typeof node === 'string' ? node : JSON.stringify(node);
      throw KubeApiError.badRequest(
        `${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: ` +
          `parsing time "${text}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "${text.slice(19)}" as ".000000"`,
      );
    }
  }
}
