import path from 'node:path';

/**
 * A path given on the command line, made absolute against the caller's working directory. The
 * sandbox runs git and helm from other folders (a template's, a work tree's), where a relative
 * path names something else or nothing: `--templates deploy/templates/repos` failed in git add.
 */
export function fromWorkingDirectory(
  value: string | undefined,
  cwd: string = process.cwd(),
): string | undefined {
  return value === undefined ? undefined : path.resolve(cwd, value);
}
