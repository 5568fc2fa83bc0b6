import type { CommandHandler } from './command-io';
import { runLocalProcess } from './local-process';
import type { StepResult, StepRuntime } from './step-runtime';

/**
 * Runs a step of an image whose own program the sandbox interprets (kaniko's executor,
 * buildctl, the argocd CLI): the step runs as any other (the image's shell, PATH and user, see
 * runLocalProcess), and the image's program, wherever the image has it, calls `commands` through
 * the command bridge. A script using what the image lacks fails as it would in the image.
 */
export function runInterpreted(
  rt: StepRuntime,
  commands: Record<string, CommandHandler>,
): Promise<StepResult> {
  return runLocalProcess(rt, commands);
}

/** `INFO[0003]`-style elapsed seconds of simulated time, as kaniko and the argocd CLI print them. */
export function elapsedStamp(startedMs: number, speed: number): string {
  const seconds = Math.floor(((Date.now() - startedMs) * speed) / 1000);
  return String(seconds).padStart(4, '0');
}
