import type { KubeObject } from '../../core/kube-object';
import { GrpcCode, GrpcError } from '../../grpc-gateway';

/** Argo's own labels (workflow/common/common.go). */
export const ArgoLabels = {
  workflow: 'workflows.argoproj.io/workflow',
  phase: 'workflows.argoproj.io/phase',
  completed: 'workflows.argoproj.io/completed',
  workflowTemplate: 'workflows.argoproj.io/workflow-template',
  resubmittedFrom: 'workflows.argoproj.io/resubmitted-from-workflow',
  creator: 'workflows.argoproj.io/creator',
  creatorEmail: 'workflows.argoproj.io/creator-email',
  creatorPreferredUsername: 'workflows.argoproj.io/creator-preferred-username',
  archiveStatus: 'workflows.argoproj.io/workflow-archiving-status',
} as const;

/** Pod annotation naming the node a pod runs. */
export const NODE_ID_ANNOTATION = 'workflows.argoproj.io/node-id';

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord) : {};
}

export function statusOf(wf: KubeObject): JsonRecord {
  return asRecord(wf.status);
}

export function specOf(wf: KubeObject): JsonRecord {
  return asRecord(wf.spec);
}

export function phaseOf(wf: KubeObject): string {
  const phase = statusOf(wf).phase;
  return typeof phase === 'string' ? phase : '';
}

/** `WorkflowStatus.Fulfilled()`: the workflow reached a final phase. */
export function isFulfilled(wf: KubeObject): boolean {
  return ['Succeeded', 'Failed', 'Error'].includes(phaseOf(wf));
}

/** A timestamp field as epoch ms, or undefined when unset (`null` / absent / unparsable). */
export function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Parses `name=value` strings as the CLI and the submit API pass parameters. */
export function parseParameterStrings(parameters: unknown): Array<{ name: string; value: string }> {
  if (parameters === undefined || parameters === null) return [];
  if (!Array.isArray(parameters))
    throw new GrpcError(GrpcCode.InvalidArgument, 'parameters must be a list of "NAME=VALUE" strings');
  return parameters.map((entry) => {
    const text = String(entry);
    const eq = text.indexOf('=');
    if (eq < 0)
      throw new GrpcError(
        GrpcCode.InvalidArgument,
        `expected parameter of the form: NAME=VALUE. Received: ${text}`,
      );
    return { name: text.slice(0, eq), value: text.slice(eq + 1) };
  });
}

/** Replaces the given parameters in `spec.arguments.parameters`, keeping the others after them. */
export function overrideParameters(spec: JsonRecord, passed: Array<{ name: string; value: string }>): void {
  if (passed.length === 0) return;
  const args = asRecord(spec.arguments);
  const existing = Array.isArray(args.parameters) ? (args.parameters as JsonRecord[]) : [];
  const names = new Set(passed.map((p) => p.name));
  spec.arguments = {
    ...args,
    parameters: [...passed, ...existing.filter((p) => !names.has(String(p.name)))],
  };
}

/** A string field of loosely typed JSON ('' when absent or not a string). */
export function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
