/**
 * Gitea's naming rules, as its binding rules and models check them (go-gitea/gitea
 * `modules/validation/binding.go`, `models/repo/repo.go` IsUsableRepoName, `models/user/user.go`
 * IsUsableUsername, `models/db/name.go`, `modules/git/ref.go` refNamePatternInvalid).
 */

/** Binding rule `AlphaDashDot` fails on any other character than a letter, digit, `_`, `-` or `.`. */
const ALPHA_DASH_DOT_INVALID = /[^\d\w\-_.]/;

/** Binding rule `GitRefName` (an empty value passes: the field is optional). */
const REF_NAME_INVALID = new RegExp(
  // Control characters and DEL, space and ~^:?*[\ anywhere; then the structural rules.
  String.raw`[\u0000-\u001f\u007f \\~^:?*[]|^[/.]|\/\.|\.lock$|\.lock\/|\.\.|\/\/|@\{|[/.]$|^@$`,
);

const VALID_REPO_NAME = /^[-.\w]+$/;
const INVALID_REPO_NAME = /[.]{2,}/;
const RESERVED_REPO_NAMES = ['.', '..', '-'];
const RESERVED_REPO_PATTERNS = ['*.wiki', '*.git', '*.rss', '*.atom'];

const VALID_USERNAME = /^[\da-zA-Z][-.\w]*$/;
const INVALID_USERNAME = /[-._]{2,}|[-._]$/;
const RESERVED_USERNAMES = [
  '.',
  '..',
  '.well-known',
  'api',
  'metrics',
  'v2',
  'assets',
  'attachments',
  'avatar',
  'avatars',
  'repo-avatars',
  'captcha',
  'login',
  'org',
  'repo',
  'user',
  'explore',
  'issues',
  'pulls',
  'milestones',
  'notifications',
  'favicon.ico',
  'manifest.json',
  'robots.txt',
  'sitemap.xml',
  'ssh_info',
  'swagger.v1.json',
  'ghost',
  'gitea-actions',
];
const RESERVED_USER_PATTERNS = ['*.keys', '*.gpg', '*.rss', '*.atom', '*.png'];

export function isAlphaDashDot(value: string): boolean {
  return !ALPHA_DASH_DOT_INVALID.test(value);
}

export function isValidRefName(value: string): boolean {
  return !REF_NAME_INVALID.test(value);
}

export function isValidUsername(value: string): boolean {
  return VALID_USERNAME.test(value) && !INVALID_USERNAME.test(value);
}

/**
 * Why Gitea's model layer refuses a name, as the error it returns: `chars` (ErrNameCharsNotAllowed,
 * which the create-repo API does not map and answers 500), `reserved` or `pattern` (both 422).
 */
export type NameRefusal =
  | { kind: 'chars'; message: string }
  | { kind: 'reserved'; message: string }
  | { kind: 'pattern'; message: string };

export function repoNameRefusal(name: string): NameRefusal | undefined {
  if (!VALID_REPO_NAME.test(name) || INVALID_REPO_NAME.test(name)) return charsNotAllowed(name);
  return usableName(RESERVED_REPO_NAMES, RESERVED_REPO_PATTERNS, name);
}

export function usernameRefusal(name: string): NameRefusal | undefined {
  if (!isValidUsername(name)) return charsNotAllowed(name);
  return usableName(RESERVED_USERNAMES, RESERVED_USER_PATTERNS, name);
}

function charsNotAllowed(name: string): NameRefusal {
  return {
    kind: 'chars',
    message: `name is invalid [${name}]: must be valid alpha or numeric or dash(-_) or dot characters`,
  };
}

/** `db.IsUsableName`: exact reserved names, and `*suffix` / `prefix*` patterns, compared lower-cased. */
function usableName(names: string[], patterns: string[], raw: string): NameRefusal | undefined {
  const name = raw.trim().toLowerCase();
  if (names.includes(name)) return { kind: 'reserved', message: `name is reserved [name: ${name}]` };
  for (const pattern of patterns) {
    const matches = pattern.startsWith('*')
      ? name.endsWith(pattern.slice(1))
      : pattern.endsWith('*') && name.startsWith(pattern.slice(0, -1));
    if (matches) return { kind: 'pattern', message: `name pattern is not allowed [pattern: ${pattern}]` };
  }
  return undefined;
}
