import { readFile } from 'node:fs/promises';
import type { NodeOutputs, Parameter, Template } from '../../workflow-types';

/** Script results are capped like Argo's (256 KiB). */
export const MAX_RESULT_BYTES = 256 * 1024;

/**
 * What Argo's wait container saves after the main container exits: `exitCode`, a script's
 * `result` (its stdout), and each output parameter — `valueFrom.path` read from the (remapped)
 * file with one trailing newline removed, else its default. A missing file without a default is
 * an error when the main container succeeded, as in Argo.
 */
export async function collectOutputs(
  template: Template,
  hostPath: (containerPath: string) => string,
  exitCode: number,
  stdout: string,
): Promise<{ outputs: NodeOutputs; error?: string }> {
  const outputs: NodeOutputs = {};
  if (template.script !== undefined) outputs.result = trimOneNewline(stdout);
  const parameters: Parameter[] = [];
  let error: string | undefined;
  for (const spec of template.outputs?.parameters ?? []) {
    const from = spec.valueFrom;
    let value = spec.value;
    if (from?.path !== undefined) {
      try {
        value = trimOneNewline(await readFile(hostPath(from.path), 'utf8'));
      } catch {
        value = from.default;
        if (value === undefined && exitCode === 0) error ??= `open ${from.path}: no such file or directory`;
      }
    } else if (value === undefined && from?.default !== undefined) {
      value = from.default;
    }
    parameters.push({
      name: spec.name,
      ...(value !== undefined ? { value } : {}),
      ...(from !== undefined ? { valueFrom: from } : {}),
      ...(spec.globalName !== undefined ? { globalName: spec.globalName } : {}),
    });
  }
  if (parameters.length > 0) outputs.parameters = parameters;
  outputs.exitCode = String(exitCode);
  return error === undefined ? { outputs } : { outputs, error };
}

function trimOneNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
