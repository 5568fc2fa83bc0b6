import type { KubeObject } from '../../core/kube-object';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import {
  ArgoLabels,
  asRecord,
  overrideParameters,
  parseParameterStrings,
  specOf,
  text,
  type JsonRecord,
} from './workflow-objects';

const TEMPLATE_KINDS = ['WorkflowTemplate', 'workflowtemplate', 'workflowtemplates', 'wftmpl'];

/** Throws the real server's error for a `resourceKind` the sandbox cannot submit from. */
export function assertSubmittableKind(kind: unknown): void {
  if (typeof kind === 'string' && TEMPLATE_KINDS.includes(kind)) return;
  throw new GrpcError(
    GrpcCode.InvalidArgument,
    `Resource kind '${text(kind)}' is not supported for submitting`,
  );
}

/** `common.NewWorkflowFromWorkflowTemplate`: a Workflow that references the template. */
export function workflowFromTemplate(template: KubeObject): KubeObject {
  const name = template.metadata.name ?? '';
  const workflowMetadata = asRecord(specOf(template).workflowMetadata);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      generateName: `${name}-`,
      labels: {
        ...(asRecord(workflowMetadata.labels) as Record<string, string>),
        [ArgoLabels.workflowTemplate]: name,
      },
      annotations: { ...(asRecord(workflowMetadata.annotations) as Record<string, string>) },
    },
    spec: { workflowTemplateRef: { name } },
  };
}

/** `util.ApplySubmitOpts`: entry point, service account, labels, annotations, parameters, names. */
export function applySubmitOptions(wf: KubeObject, input: unknown): void {
  const opts = asRecord(input);
  const spec = specOf(wf);
  if (typeof opts.entryPoint === 'string' && opts.entryPoint !== '') spec.entrypoint = opts.entryPoint;
  if (typeof opts.serviceAccount === 'string' && opts.serviceAccount !== '')
    spec.serviceAccountName = opts.serviceAccount;
  if (typeof opts.podPriorityClassName === 'string' && opts.podPriorityClassName !== '') {
    spec.podPriorityClassName = opts.podPriorityClassName;
  }
  if (typeof opts.priority === 'number') spec.priority = opts.priority;
  const labelText = typeof opts.labels === 'string' ? opts.labels : '';
  if (labelText !== '') {
    const labels = parseKeyValues(
      labelText,
      (cause) => `expected labels of the form: NAME1=VALUE2,NAME2=VALUE2. Received: ${labelText}: ${cause}`,
    );
    wf.metadata.labels = { ...wf.metadata.labels, ...labels };
  }
  if (typeof opts.annotations === 'string' && opts.annotations !== '') {
    // The real message quotes the labels option here, not the annotations (an upstream slip).
    const annotations = parseKeyValues(
      opts.annotations,
      (cause) =>
        `expected Annotations of the form: NAME1=VALUE2,NAME2=VALUE2. Received: ${labelText}: ${cause}`,
    );
    wf.metadata.annotations = { ...wf.metadata.annotations, ...annotations };
  }
  overrideParameters(spec, parseParameterStrings(opts.parameters));
  if (typeof opts.generateName === 'string' && opts.generateName !== '')
    wf.metadata.generateName = opts.generateName;
  if (typeof opts.name === 'string' && opts.name !== '') wf.metadata.name = opts.name;
  if (opts.ownerReference !== undefined && opts.ownerReference !== null) {
    wf.metadata.ownerReferences = [
      opts.ownerReference as NonNullable<KubeObject['metadata']['ownerReferences']>[number],
    ];
  }
  wf.spec = spec;
}

/**
 * The part of `validate.ValidateWorkflow` a submit from a template trips over: the entry point must
 * name one of the template's templates and every parameter without a default needs a value.
 */
export function validateAgainstTemplate(wf: KubeObject, template: KubeObject): void {
  const spec = specOf(wf);
  const templateSpec = specOf(template);
  const entrypoint = text(spec.entrypoint) || text(templateSpec.entrypoint);
  if (entrypoint === '') throw new GrpcError(GrpcCode.InvalidArgument, 'spec.entrypoint is required');
  const templates = Array.isArray(templateSpec.templates) ? (templateSpec.templates as JsonRecord[]) : [];
  if (!templates.some((t) => t.name === entrypoint)) {
    throw new GrpcError(GrpcCode.InvalidArgument, `spec.entrypoint template '${entrypoint}' undefined`);
  }
  const given = new Set(parametersOf(spec).map((p) => String(p.name)));
  for (const param of parametersOf(templateSpec)) {
    const hasDefault = param.value !== undefined || param.valueFrom !== undefined;
    if (!hasDefault && !given.has(String(param.name))) {
      throw new GrpcError(GrpcCode.InvalidArgument, `spec.arguments.${String(param.name)}.value is required`);
    }
  }
}

function parametersOf(spec: JsonRecord): JsonRecord[] {
  const params = asRecord(spec.arguments).parameters;
  return Array.isArray(params) ? (params as JsonRecord[]) : [];
}

/** kubectl's `ParseLabels`: `a=b,c=d`. */
function parseKeyValues(text: string, describe: (cause: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of text.split(',')) {
    const parts = spec.split('=');
    if (parts.length !== 2)
      throw new GrpcError(GrpcCode.InvalidArgument, describe(`unexpected label spec: ${spec}`));
    const [key = '', value = ''] = parts;
    if (key === '') throw new GrpcError(GrpcCode.InvalidArgument, describe('unexpected empty label key'));
    out[key] = value;
  }
  return out;
}
