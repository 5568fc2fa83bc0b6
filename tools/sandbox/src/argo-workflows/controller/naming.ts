/** 32-bit FNV-1a over the UTF-8 bytes of `text`, as Go's hash/fnv New32a computes it. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A node's id: the workflow name for the root node, else `<workflow>-<fnv32a(nodeName)>`. */
export function nodeId(workflowName: string, nodeName: string): string {
  return nodeName === workflowName ? workflowName : `${workflowName}-${fnv32a(nodeName)}`;
}

// Kubernetes names may be 253 characters; Argo keeps room for "-" and a 10-digit hash.
const MAX_POD_NAME_PREFIX = 253 - 10 - 1;

/** Pod name v2 (Argo's default): `<workflow>-<templateName>-<fnv32a(nodeName)>`. */
export function podName(workflowName: string, nodeName: string, templateName: string): string {
  if (workflowName === nodeName) return workflowName;
  const prefix = `${workflowName}-${templateName}`.slice(0, MAX_POD_NAME_PREFIX);
  return `${prefix}-${fnv32a(nodeName)}`;
}

const STEPS_OR_DAG_SEPARATOR = /^(\[(\d+)\])?\./;

/** A node's display name: its name relative to its boundary node, as Argo shows it. */
export function displayName(nodeName: string, boundaryName: string | undefined): string {
  if (boundaryName === undefined) return nodeName;
  const relative = nodeName.startsWith(boundaryName) ? nodeName.slice(boundaryName.length) : nodeName;
  return relative.replace(STEPS_OR_DAG_SEPARATOR, '');
}
