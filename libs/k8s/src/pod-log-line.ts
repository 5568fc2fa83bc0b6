import type { PodLogLine, PodLogMembership } from '@platform/domain';

/**
 * What merged pod logs emit:
 * - `history`: the lines a container had when it was first attached (cut by tailLines/sinceSeconds);
 * - `line`: one line written after that;
 * - `membership`: a pod's container joined or left;
 * - `caught-up`: every container of the first pod list has had its history read: what follows is live.
 */
export type MergedLogItem =
  | { kind: 'history'; pod: string; container: string; lines: PodLogLine[] }
  | { kind: 'line'; line: PodLogLine }
  | { kind: 'membership'; membership: PodLogMembership }
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
