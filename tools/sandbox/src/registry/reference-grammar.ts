import { createHash } from 'node:crypto';

/*
 * The grammar of repository names, tags and digests, from distribution/reference `regexp.go` and
 * opencontainers/go-digest, which the registry's routes and handlers match requests against.
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
/** A repository name as the registry's routes take it (an optional domain, then path components). */
export const NAME_PATTERN = `(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*`;
export const TAG_PATTERN = '[\\w][\\w.-]{0,127}';
/** What a route accepts as a digest; go-digest then validates algorithm and length. */
export const DIGEST_ROUTE_PATTERN = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';

const NAME_TOTAL_MAX = 255;

/** Why a name the routes accepted is still not a repository name (distribution's NAME_INVALID). */
export function nameProblem(name: string): string | undefined {
  return name.length > NAME_TOTAL_MAX ? 'repository name must not be more than 255 characters' : undefined;
}

const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const HEX_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

export type DigestProblem =
  'invalid checksum digest format' | 'unsupported digest algorithm' | 'invalid checksum digest length';

/**
 * go-digest's `Parse` + `Validate`: the problem's text is go-digest's error text, or undefined
 * when `text` is a digest the registry accepts.
 */
export function digestProblem(text: string): DigestProblem | undefined {
  if (!DIGEST_GRAMMAR.test(text)) return 'invalid checksum digest format';
  const colon = text.indexOf(':');
  const algorithm = text.slice(0, colon);
  const encoded = text.slice(colon + 1);
  const length = HEX_LENGTHS[algorithm];
  if (length === undefined) return 'unsupported digest algorithm';
  if (encoded.length !== length) return 'invalid checksum digest length';
  if (!/^[a-f0-9]+$/.test(encoded)) return 'invalid checksum digest format';
  return undefined;
}

export function isDigest(text: string): boolean {
  return digestProblem(text) === undefined;
}

/** `sha256:<hex>` of some bytes, as the registry names content. */
export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The digest of `bytes` under the algorithm of `digest` (sha256, sha384 or sha512). */
export function digestWithAlgorithmOf(digest: string, bytes: Buffer): string {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
