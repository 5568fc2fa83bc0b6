import type { CommandIo } from './command-io';

/** Exit code of the real CLI for any failure (argocd's ErrorGeneric). */
export const ARGOCD_ERROR_EXIT = 20;

export type LogFormat = 'json' | 'text';

/**
 * The argocd CLI's logrus output on stderr. v3 logs JSON unless `--logformat text`
 * (cmd/argocd/commands/root.go): `{"level":"fatal","msg":"...","time":"..."}` with Go's HTML
 * escaping; text is `time="..." level=fatal msg=...` with logrus' quoting. Times are UTC, as in a
 * container.
 */
export class CliLog {
  constructor(
    private readonly io: Pick<CommandIo, 'err'>,
    readonly format: LogFormat,
  ) {}

  /** `log.Fatal`: prints the message and returns the exit code the CLI exits with. */
  fatal(message: string): number {
    this.write('fatal', message);
    return ARGOCD_ERROR_EXIT;
  }

  warn(message: string): void {
    this.write('warning', message);
  }

  private write(level: string, message: string): void {
    const time = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (this.format === 'json') {
      this.io.err(`${goJson({ level, msg: message, time })}\n`);
      return;
    }
    this.io.err(`time=${textValue(time)} level=${level} msg=${textValue(message)}\n`);
  }
}

/** encoding/json with SetEscapeHTML(true), keys sorted as a Go map's are. */
function goJson(fields: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.stringify(sorted).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** logrus TextFormatter: values with anything but `[A-Za-z0-9-._/@^+]` are quoted (Go `%q`). */
function textValue(value: string): string {
  if (value !== '' && /^[A-Za-z0-9\-._/@^+]+$/.test(value)) return value;
  return JSON.stringify(value);
}
