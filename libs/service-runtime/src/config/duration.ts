const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const DURATION = /^([1-9][0-9]{0,6})(s|m|h|d)$/;

/** Seconds of a duration written `<n><unit>` (`90s`, `30m`, `12h`, `7d`), or undefined when malformed. */
export function durationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? 0);
}
