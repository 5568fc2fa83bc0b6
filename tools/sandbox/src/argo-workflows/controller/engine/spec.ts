import type { KubeObject } from '../../../core/kube-object';
import type { ObjectStore } from '../../../core/object-store';
import { Kinds } from '../../../core/resource-kinds';
import type { Parameter, Template, TemplateRef, WorkflowSpec, WorkflowStatus } from '../../workflow-types';

export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

/**
 * The spec a workflow runs: its own, or, with `workflowTemplateRef`, the WorkflowTemplate's spec
 * joined with the workflow's (the workflow's fields win, arguments merge by parameter name),
 * stored in `status.storedWorkflowTemplateSpec` on first sight as Argo does, so that editing the
 * template later does not change a running workflow.
 */
export function resolveWorkflowSpec(
  store: ObjectStore,
  wf: KubeObject,
): { spec: WorkflowSpec; stored?: WorkflowSpec } {
  const own = (wf.spec ?? {}) as WorkflowSpec;
  const status = (wf.status ?? {}) as WorkflowStatus;
  const ref = own.workflowTemplateRef;
  if (ref === undefined) return { spec: validated(own) };
  const stored = status.storedWorkflowTemplateSpec ?? joinedSpec(store, wf.metadata.namespace ?? '', own);
  // Shutdown and parameters (a retry may override them) live on the workflow, not in the stored copy.
  const live: WorkflowSpec = {
    ...stored,
    shutdown: own.shutdown,
    arguments: {
      ...stored.arguments,
      parameters: mergeParameters(stored.arguments?.parameters, own.arguments?.parameters),
    },
  };
  if (live.shutdown === undefined) delete live.shutdown;
  return { spec: validated(live), stored };
}

function joinedSpec(store: ObjectStore, namespace: string, own: WorkflowSpec): WorkflowSpec {
  const ref = own.workflowTemplateRef;
  if (ref === undefined) return own;
  if (ref.clusterScope === true) {
    throw new SpecError(`clusterworkflowtemplates.argoproj.io "${ref.name}" not found`);
  }
  const template = store.get(Kinds.WorkflowTemplate, namespace, ref.name);
  if (template === undefined) throw new SpecError(`workflowtemplates.argoproj.io "${ref.name}" not found`);
  const base = structuredClone((template.spec ?? {}) as WorkflowSpec);
  const { workflowTemplateRef: _ref, ...overrides } = own;
  const merged: WorkflowSpec = { ...base, ...overrides };
  merged.arguments = {
    ...base.arguments,
    ...own.arguments,
    parameters: mergeParameters(base.arguments?.parameters, own.arguments?.parameters),
  };
  const templates = new Map<string, Template>();
  for (const t of [...(base.templates ?? []), ...(own.templates ?? [])]) templates.set(t.name, t);
  merged.templates = [...templates.values()];
  delete merged.shutdown;
  return merged;
}

/** Parameters of `base` overridden by `overrides` with the same name; new ones appended. */
export function mergeParameters(base: Parameter[] = [], overrides: Parameter[] = []): Parameter[] {
  const out = base.map((p) => ({ ...p }));
  for (const p of overrides) {
    const i = out.findIndex((b) => b.name === p.name);
    if (i >= 0) out[i] = { ...out[i], ...p };
    else out.push({ ...p });
  }
  return out;
}

function validated(spec: WorkflowSpec): WorkflowSpec {
  if (spec.templates !== undefined && !Array.isArray(spec.templates))
    throw new SpecError('spec.templates must be a list');
  for (const [i, t] of (spec.templates ?? []).entries()) {
    if (typeof t !== 'object' || t === null || typeof t.name !== 'string' || t.name === '') {
      throw new SpecError(`spec.templates[${i}].name is required`);
    }
    if (t.steps !== undefined && (!Array.isArray(t.steps) || !t.steps.every((g) => Array.isArray(g)))) {
      throw new SpecError(`templates.${t.name}.steps must be a list of lists`);
    }
    if (t.dag !== undefined && !Array.isArray(t.dag.tasks))
      throw new SpecError(`templates.${t.name}.dag.tasks is required`);
  }
  if (spec.entrypoint === undefined || spec.entrypoint === '')
    throw new SpecError('spec.entrypoint is required');
  if (!(spec.templates ?? []).some((t) => t.name === spec.entrypoint)) {
    throw new SpecError(`spec.entrypoint template '${spec.entrypoint}' undefined`);
  }
  return spec;
}

/** Finds the template a step/task/entrypoint names, locally or through `templateRef`. */
export function findTemplate(
  store: ObjectStore,
  namespace: string,
  spec: WorkflowSpec,
  call: { template?: string; templateRef?: TemplateRef },
): Template {
  if (call.templateRef !== undefined) {
    const { name, template } = call.templateRef;
    if (call.templateRef.clusterScope === true) {
      throw new SpecError(`clusterworkflowtemplates.argoproj.io "${name}" not found`);
    }
    const holder = store.get(Kinds.WorkflowTemplate, namespace, name);
    if (holder === undefined) throw new SpecError(`workflowtemplates.argoproj.io "${name}" not found`);
    const found = ((holder.spec as WorkflowSpec | undefined)?.templates ?? []).find(
      (t) => t.name === template,
    );
    if (found === undefined)
      throw new SpecError(`template ${template} not found in workflow template ${name}`);
    return structuredClone(found);
  }
  const found = (spec.templates ?? []).find((t) => t.name === call.template);
  if (found === undefined) throw new SpecError(`template name '${call.template ?? ''}' undefined`);
  return structuredClone(found);
}
