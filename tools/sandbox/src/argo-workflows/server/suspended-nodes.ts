import { FieldSelector } from '../../core/field-selector';
import type { KubeObject } from '../../core/kube-object';
import { kubeTime } from '../../core/sim-clock';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import { asRecord, statusOf } from './workflow-objects';

type Node = Record<string, unknown>;

/** A Suspend node that has not been resumed or stopped (`NodeStatus.IsActiveSuspendNode`). */
export function isActiveSuspendNode(node: Node): boolean {
  return node.type === 'Suspend' && node.phase === 'Running';
}

/**
 * Argo's `updateSuspendedNode` (workflow/util/util.go): the active Suspend nodes the node field
 * selector matches get `phase` (and `message`, and a finishedAt once fulfilled); none matching is
 * the error Argo gives ("currently, set only targets suspend nodes: …"). The fields a selector
 * may name are Argo's `SelectorMatchesNode` set: displayName, templateName, phase, name, id,
 * templateRef.name, templateRef.template and inputs.parameters.<name>.value.
 */
export function updateSuspendedNodes(
  wf: KubeObject,
  nodeFieldSelector: string,
  phase: 'Succeeded' | 'Failed',
  message: string,
  now: Date,
): void {
  let selector: FieldSelector;
  try {
    selector = FieldSelector.parse(nodeFieldSelector);
  } catch (error) {
    throw new GrpcError(GrpcCode.Internal, (error as Error).message);
  }
  const nodes = asRecord(statusOf(wf).nodes);
  let updated = false;
  for (const value of Object.values(nodes)) {
    const node = asRecord(value);
    if (!isActiveSuspendNode(node) || !selector.matches(selectable(node))) continue;
    finish(node, phase, message, now);
    updated = true;
  }
  if (!updated) {
    throw new GrpcError(
      GrpcCode.Internal,
      `currently, set only targets suspend nodes: no suspend nodes matching nodeFieldSelector: ${nodeFieldSelector}`,
    );
  }
}

/** Resumes every active Suspend node (`ResumeWorkflow` without a selector). */
export function resumeAllSuspendedNodes(wf: KubeObject, message: string, now: Date): void {
  for (const value of Object.values(asRecord(statusOf(wf).nodes))) {
    const node = asRecord(value);
    if (isActiveSuspendNode(node)) finish(node, 'Succeeded', message, now);
  }
}

function finish(node: Node, phase: 'Succeeded' | 'Failed', message: string, now: Date): void {
  node.phase = phase;
  node.finishedAt = kubeTime(now);
  if (message !== '') node.message = message;
}

/** The node as the selector sees it: Argo's flat field set, spelled as nested paths. */
function selectable(node: Node): KubeObject {
  const templateRef = asRecord(node.templateRef);
  const parameters: Record<string, { value: unknown }> = {};
  for (const p of (asRecord(node.inputs).parameters as
    Array<{ name: string; value?: unknown }> | undefined) ?? [])
    parameters[p.name] = { value: p.value ?? '' };
  return {
    displayName: node.displayName,
    templateName: node.templateName ?? templateRef.template ?? '',
    phase: node.phase,
    name: node.name,
    id: node.id,
    templateRef: { name: templateRef.name ?? '', template: templateRef.template ?? '' },
    inputs: { parameters },
  } as unknown as KubeObject;
}
