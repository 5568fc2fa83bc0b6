import type { RunSecret } from './run-record';

/** Shorter values would match by chance (a 6-letter password inside a host name). */
export const MIN_SECRET_LENGTH = 8;

/** Where a secret was found: the file, the line's source, and the secret's label (never its value). */
export interface Finding {
  file: string;
  line: number;
  source: string;
  secret: string;
  form: string;
}

/**
 * The forms a secret can take in a log line or a body: as it is, percent-encoded (a URL), JSON-
 * escaped, base64 (a docker config's `auth`, a Basic header) and base64url (inside a JWT).
 */
export function secretForms(value: string): Array<{ form: string; text: string }> {
  const forms = [
    { form: 'plain', text: value },
    { form: 'percent-encoded', text: encodeURIComponent(value) },
    { form: 'JSON-escaped', text: JSON.stringify(value).slice(1, -1) },
    { form: 'base64', text: Buffer.from(value).toString('base64').replace(/=+$/, '') },
    { form: 'base64url', text: Buffer.from(value).toString('base64url') },
  ];
  const seen = new Set<string>();
  return forms.filter(({ text }) => !seen.has(text) && seen.add(text));
}

/**
 * Every occurrence of every secret (long enough to tell) in the NDJSON lines of a file, each
 * line `{source, ...}`. A JSON line holds its text JSON-escaped, hence that form.
 */
export function scanText(file: string, content: string, secrets: readonly RunSecret[]): Finding[] {
  const findings: Finding[] = [];
  for (const secret of secrets) {
    if (secret.value.length < MIN_SECRET_LENGTH) continue;
    for (const { form, text } of secretForms(secret.value)) {
      for (let at = content.indexOf(text); at >= 0; at = content.indexOf(text, at + 1)) {
        const start = content.lastIndexOf('\n', at) + 1;
        const line = content.slice(0, start).split('\n').length;
        const source = /^\{"source":"([^"]*)"/.exec(content.slice(start, start + 200))?.[1] ?? '?';
        findings.push({ file, line, source, secret: secret.label, form });
      }
    }
  }
  return findings;
}
