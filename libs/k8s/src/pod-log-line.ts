import type { PodLogLine, PodLogMembership } from '@platform/domain';

export type MergedLogItem =
  { kind: 'line'; line: PodLogLine } | { kind: 'membership'; membership: PodLogMembership };

/** Splits `2026-11-26T04:10:00.123456789Z the text` into time and text. */
export function parseTimestampedLine(raw: string): { time: string; line: string } {
  const space = raw.indexOf(' ');
  if (space > 0 && /^\d{4}-\d\d-\d\dT/.test(raw))
    return { time: raw.slice(0, space), line: raw.slice(space + 1) };
  return { time: '', line: raw };
}
