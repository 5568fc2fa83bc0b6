/** Which flags a command accepts; names without dashes, short forms map to long names. */
export interface FlagSpec {
  /** Flags without a value (`--upsert`, `--upsert=false`). */
  bool: readonly string[];
  /** Flags that take a value (`--repo URL`, `--repo=URL`); repeatable ones keep every value. */
  value: readonly string[];
  short?: Readonly<Record<string, string>>;
}

/** `'a b c'` → `['a', 'b', 'c']`: long flag lists stay readable. */
export function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** Parsed command line, cobra/pflag style. */
export class ParsedFlags {
  constructor(
    readonly positionals: string[],
    private readonly values: Map<string, string[]>,
  ) {}

  get(name: string): string | undefined {
    const all = this.values.get(name);
    return all?.[all.length - 1];
  }

  all(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  /** A boolean flag: present without a value, or with a value other than "false". */
  on(name: string): boolean {
    const value = this.get(name);
    return value !== undefined && value !== 'false';
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
}

/** Parses `args` against `spec`; throws CliUsageError("unknown flag: --x") as cobra does. */
export function parseFlags(args: readonly string[], spec: FlagSpec): ParsedFlags {
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const list = values.get(name) ?? [];
    list.push(value);
    values.set(name, list);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    let name = eq >= 0 ? body.slice(0, eq) : body;
    let inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (!long) {
      const mapped = spec.short?.[name.slice(0, 1)];
      if (mapped === undefined)
        throw new CliUsageError(`unknown shorthand flag: '${name.slice(0, 1)}' in ${arg}`);
      if (inline === undefined && name.length > 1) inline = name.slice(1);
      name = mapped;
    }
    if (spec.bool.includes(name)) {
      add(name, inline ?? 'true');
    } else if (spec.value.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new CliUsageError(`flag needs an argument: ${arg}`);
      add(name, value);
    } else {
      throw new CliUsageError(`unknown flag: --${name}`);
    }
  }
  return new ParsedFlags(positionals, values);
}
