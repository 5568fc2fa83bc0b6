import type { Workflow } from '@platform/argo-client';

/**
 * The step a workflow pod ran, by Argo's pod naming (v2): `<workflow>-<templateName>-<fnv32a(nodeName)>`.
 * Null when no node of the workflow matches (a pod of an older attempt, or naming v1).
 */
export function stepOfPod(workflow: Workflow, podName: string): string | null {
  const name = workflow.metadata.name ?? '';
  for (const node of Object.values(workflow.status?.nodes ?? {})) {
    if (node.type !== 'Pod') continue;
    const candidate = node.name === name ? name : `${name}-${node.templateName ?? ''}-${fnv32a(node.name)}`;
    if (candidate === podName) return node.displayName ?? node.name;
  }
  return null;
}

/** 32-bit FNV-1a over UTF-8, as Go's hash/fnv New32a (what Argo hashes node names with). */
function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
