import type { KubeObject } from '../../../core/kube-object';
import type { NodeStatus, Parameter, WorkflowSpec } from '../../workflow-types';
import { SpecError } from './spec';

/** The `{{workflow.*}}` variables every template sees. */
export function workflowGlobals(
  wf: KubeObject,
  spec: WorkflowSpec,
  globalOutputs: Parameter[],
): Map<string, string> {
  const globals = new Map<string, string>();
  const meta = wf.metadata;
  globals.set('workflow.name', meta.name ?? '');
  globals.set('workflow.namespace', meta.namespace ?? '');
  globals.set('workflow.uid', meta.uid ?? '');
  globals.set('workflow.serviceAccountName', spec.serviceAccountName ?? 'default');
  globals.set('workflow.creationTimestamp', meta.creationTimestamp ?? '');
  globals.set('workflow.mainEntrypoint', spec.entrypoint ?? '');
  for (const [k, v] of Object.entries(meta.labels ?? {})) globals.set(`workflow.labels.${k}`, v);
  for (const [k, v] of Object.entries(meta.annotations ?? {})) globals.set(`workflow.annotations.${k}`, v);
  const params: Array<{ name: string; value: string }> = [];
  for (const p of spec.arguments?.parameters ?? []) {
    const raw = p.value ?? p.default;
    if (raw === undefined || raw === null) throw new SpecError(`spec.arguments.${p.name}.value is required`);
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
    globals.set(`workflow.parameters.${p.name}`, value);
    params.push({ name: p.name, value });
  }
  globals.set('workflow.parameters', JSON.stringify(params));
  for (const p of globalOutputs) {
    if (p.value !== undefined) globals.set(`workflow.outputs.parameters.${p.name}`, p.value);
  }
  return globals;
}

/** Output parameters with a `globalName`, from every succeeded node, in the order they finished. */
export function globalOutputs(nodes: Record<string, NodeStatus>): Parameter[] {
  const finished = Object.values(nodes)
    .filter(
      (n) => n.phase === 'Succeeded' && (n.outputs?.parameters ?? []).some((p) => p.globalName !== undefined),
    )
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
  const out = new Map<string, string>();
  for (const node of finished) {
    for (const p of node.outputs?.parameters ?? []) {
      if (p.globalName !== undefined && p.value !== undefined) out.set(p.globalName, p.value);
    }
  }
  return [...out].map(([name, value]) => ({ name, value }));
}

/** `{{workflow.failures}}`: the failed nodes, as the exit handler sees them. */
export function workflowFailures(
  nodes: Record<string, NodeStatus>,
  podNameOf: (n: NodeStatus) => string,
): string {
  const failures = Object.values(nodes)
    .filter((n) => (n.phase === 'Failed' || n.phase === 'Error') && n.type === 'Pod')
    .map((n) => ({
      displayName: n.displayName,
      message: n.message ?? '',
      templateName: n.templateName ?? '',
      phase: n.phase,
      podName: podNameOf(n),
      finishedAt: n.finishedAt ?? '',
    }));
  return JSON.stringify(failures);
}

/** Progress "N/M": every Pod node counts 1, done when it finished; other nodes sum what they reach. */
export function updateProgress(nodes: Record<string, NodeStatus>): string {
  let done = 0;
  let total = 0;
  for (const node of Object.values(nodes)) {
    if (node.type !== 'Pod') continue;
    const finished = node.phase !== 'Pending' && node.phase !== 'Running';
    node.progress = finished ? '1/1' : '0/1';
    total += 1;
    done += finished ? 1 : 0;
  }
  for (const node of Object.values(nodes)) {
    if (node.type === 'Pod') continue;
    const seen = new Set<string>();
    let n = 0;
    let m = 0;
    const visit = (id: string): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const child = nodes[id];
      if (child === undefined) return;
      if (child.type === 'Pod') {
        m += 1;
        n += child.progress === '1/1' ? 1 : 0;
      }
      for (const c of child.children ?? []) visit(c);
    };
    for (const c of node.children ?? []) visit(c);
    if (m > 0) node.progress = `${n}/${m}`;
  }
  return `${done}/${total}`;
}
