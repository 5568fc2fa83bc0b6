/**
 * One line of one container, as the kubelet gave it (`timestamps=true`) and tagged with where it
 * came from. This library's own shape, not the portal's view of it: monitoring passes it on as
 * `PodLogLine` (@platform/domain), which has the same fields today; the compiler checks that where
 * monitoring takes the lines in, and a field either side adds there needs a mapping.
 */
export interface ContainerLogLine {
  pod: string;
  container: string;
  /** RFC 3339 time the kubelet stamped on the line. */
  time: string;
  line: string;
}

/** A pod's container joined the merged log (it started) or left it (its pod went away). */
export interface ContainerMembership {
  pod: string;
  container: string;
  change: 'joined' | 'left';
}

/**
 * What merged pod logs emit:
 * - `history`: the lines a container had when it was first attached (cut by tailLines/sinceSeconds);
 * - `line`: one line written after that;
 * - `membership`: a pod's container joined or left;
 * - `caught-up`: every container of the first pod list has had its history read: what follows is live.
 */
export type MergedLogItem =
  | { kind: 'history'; pod: string; container: string; lines: ContainerLogLine[] }
  | { kind: 'line'; line: ContainerLogLine }
  | { kind: 'membership'; membership: ContainerMembership }
  | { kind: 'caught-up' };

/** Splits `2026-11-26T04:10:00.123456789Z the text` into time and text. */
export function parseTimestampedLine(raw: string): { time: string; line: string } {
  const space = raw.indexOf(' ');
  if (space > 0 && /^\d{4}-\d\d-\d\dT/.test(raw))
    return { time: raw.slice(0, space), line: raw.slice(space + 1) };
  return { time: '', line: raw };
}

/**
 * Orders two kubelet timestamps. They are RFC 3339 with trailing zeros of the fraction trimmed
 * (`.1Z` is later than `.09Z`), so plain string order is wrong; fractions are padded first.
 */
export function compareLogTimes(a: string, b: string): number {
  const left = padFraction(a);
  const right = padFraction(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function padFraction(time: string): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (match === null) return time;
  const [, base = '', fraction = '', zone = ''] = match;
  return `${base}.${fraction.padEnd(9, '0')}${zone}`;
}
