import { FieldSelector } from '../../core/field-selector';
import type { KubeObject } from '../../core/kube-object';
import { GrpcCode, GrpcError } from '../../grpc-gateway';
import {
  ArgoLabels,
  asRecord,
  NODE_ID_ANNOTATION,
  overrideParameters,
  parseParameterStrings,
  phaseOf,
  specOf,
  statusOf,
  text,
  type JsonRecord,
} from './workflow-objects';

/** Node types that are reset to Running on retry instead of being forgotten. */
const BOUNDARY_TYPES = ['DAG', 'TaskGroup', 'StepGroup', 'Steps'];

export interface RetryPlan {
  workflow: KubeObject;
  /** Ids of the nodes dropped from status.nodes, whose pods must go too. */
  removedNodes: Array<{ id: string; name: string; templateName: string }>;
}

/**
 * `util.FormulateRetryWorkflow`: keeps succeeded nodes, resets failed boundary nodes (DAG, Steps)
 * to Running and forgets failed pod nodes, so the controller runs them again.
 */
export function formulateRetry(wf: KubeObject, request: unknown): RetryPlan {
  const phase = phaseOf(wf);
  if (phase !== 'Failed' && phase !== 'Error') {
    throw new GrpcError(GrpcCode.InvalidArgument, 'workflow must be Failed/Error to retry');
  }
  const opts = asRecord(request);
  const restartSuccessful = opts.restartSuccessful === true;
  const selector = FieldSelector.parse(
    typeof opts.nodeFieldSelector === 'string' ? opts.nodeFieldSelector : '',
  );
  const next = structuredClone(wf);
  const status = statusOf(next);
  const nodes = asRecord(status.nodes) as Record<string, JsonRecord>;
  const kept: Record<string, JsonRecord> = {};
  const removedNodes: RetryPlan['removedNodes'] = [];
  for (const [id, node] of Object.entries(nodes)) {
    const nodePhase = text(node.phase);
    const forceRestart =
      restartSuccessful && nodePhase === 'Succeeded' && selector.matches({ metadata: {}, ...node });
    if ((nodePhase === 'Succeeded' || nodePhase === 'Skipped') && !forceRestart) {
      kept[id] = node;
      continue;
    }
    if (!['Succeeded', 'Failed', 'Error', 'Omitted'].includes(nodePhase)) {
      throw new GrpcError(
        GrpcCode.Internal,
        `Workflow cannot be retried with node ${text(node.name)} in ${nodePhase} phase`,
      );
    }
    if (BOUNDARY_TYPES.includes(text(node.type))) {
      const reset: JsonRecord = {
        ...node,
        phase: 'Running',
        startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      };
      delete reset.message;
      reset.finishedAt = null;
      kept[id] = reset;
      continue;
    }
    removedNodes.push({ id, name: text(node.name), templateName: text(node.templateName) });
  }
  // Children pointing at forgotten nodes would dangle; the controller adds them again when it reruns them.
  const removedIds = new Set(removedNodes.map((n) => n.id));
  for (const node of Object.values(kept)) {
    if (Array.isArray(node.children))
      node.children = (node.children as string[]).filter((c) => !removedIds.has(c));
  }
  status.nodes = kept;
  status.phase = 'Running';
  status.finishedAt = null;
  delete status.message;
  next.status = status;
  const spec = specOf(next);
  delete spec.shutdown;
  overrideParameters(spec, parseParameterStrings(opts.parameters));
  next.spec = spec;
  next.metadata.labels = {
    ...next.metadata.labels,
    [ArgoLabels.completed]: 'false',
    [ArgoLabels.phase]: 'Running',
  };
  return { workflow: next, removedNodes };
}

/** Whether `pod` runs one of the removed nodes (by annotation, v1 name or v2 name). */
export function podRunsNode(
  pod: KubeObject,
  workflowName: string,
  node: RetryPlan['removedNodes'][number],
): boolean {
  const name = pod.metadata.name ?? '';
  if (pod.metadata.annotations?.[NODE_ID_ANNOTATION] === node.id) return true;
  return name === node.id || name === podNameV2(workflowName, node.name, node.templateName);
}

/** `util.GeneratePodName` (v2): `<workflow>-<template>-<fnv32a(nodeName)>`. */
export function podNameV2(workflowName: string, nodeName: string, templateName: string): string {
  if (workflowName === nodeName) return workflowName;
  let prefix = `${workflowName}-${templateName}`;
  // ensurePodNamePrefixLength: room for the hash within 253 characters.
  if (prefix.length > 253 - 10 - 1) prefix = prefix.slice(0, 253 - 10 - 1);
  return `${prefix}-${fnv32a(nodeName)}`;
}

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
