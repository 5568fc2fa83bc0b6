/**
 * The `pod-template-hash` of a Deployment's pod template, encoded the way the Deployment controller
 * does (`rand.SafeEncodeString` of the decimal FNV-32a hash), so names look like `web-7c5ddbdf54`.
 * Kubernetes hashes the Go struct; hashing stable JSON gives the same property: equal templates,
 * equal hash.
 */
export function podTemplateHash(template: unknown): string {
  return safeEncode(String(fnv32a(stableJson(template))));
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps each character to the alphabet without vowels (no accidental words), as k8s does. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv32a(text: string): number {
  // Templates are ASCII almost always: hash char codes directly, encode to bytes only when needed.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return fnv32aBytes(Buffer.from(text, 'utf8'));
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return hash >>> 0;
}

function fnv32aBytes(bytes: Buffer): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

/** JSON with object keys sorted, so equal values always serialise the same way. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
