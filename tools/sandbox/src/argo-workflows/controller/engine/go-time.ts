/**
 * A time as Go's time.Time.String() prints a UTC time (`2006-01-02 15:04:05.999999999 -0700
 * MST`): fractional seconds only when there are any, without trailing zeros.
 */
export function goTimeString(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction === '' ? '' : `.${fraction}`} +0000 UTC`;
}

/** A duration as Go's time.Duration.String() prints it: `10m0s`, `5s`, `1h0m0s`, `1.5s`, `500ms`, `0s`. */
export function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  let rest = ms / 1000;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  rest -= minutes * 60;
  const seconds = `${Math.round(rest * 1000) / 1000}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Argo's ParseStringToDuration (pkg/apis/workflow/v1alpha1/utils.go): a bare integer is seconds,
 * anything else must be a Go duration (`10m`, `1h30m`, `1.5s`). Undefined when it is neither.
 */
export function parseArgoDuration(text: string): number | undefined {
  if (/^[+-]?\d+$/.test(text)) return Number(text) * 1000;
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (match === null) return undefined;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g))
    total += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? 0);
  return match[1] === '-' ? -total : total;
}
