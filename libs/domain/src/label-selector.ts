/** A label value as Kubernetes allows it (empty, or alphanumeric ends with `-`, `_`, `.` between). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_LABEL_VALUE = 63;

/**
 * Label-selector terms built from values checked one by one, never from a joined string: a value
 * holding `,`, `)` or `!` would add terms of its own (a team named "a,b" would select two teams,
 * "x) ,platform-api/team notin (y" anything). A bad value is a programming error: callers pass
 * validated names.
 */
export function labelEquals(key: string, value: string): string {
  return `${key}=${checked(value)}`;
}

/** `key in (a,b)`; at least one value, each checked. */
export function labelIn(key: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error(`a selector on ${key} needs at least one value`);
  return `${key} in (${values.map(checked).join(',')})`;
}

function checked(value: string): string {
  if (value.length > MAX_LABEL_VALUE || !LABEL_VALUE.test(value)) {
    throw new Error(`not a label value: ${JSON.stringify(value)}`);
  }
  return value;
}
