import { Labels } from '@platform/domain';
import type { KubeObject } from '../../core/kube-object';
import { nodeId } from '../../argo-workflows/controller/naming';
import { iso } from './seed-names';

/** What one seeded app's finished CI and CD workflows report. */
export interface SeedRun {
  name: string;
  namespace: string;
  type: 'ci' | 'cd';
  app: string;
  team: string;
  requestedBy: string;
  startedAt: Date;
  /** The steps, in order, and the outputs of the last one (also the workflow's global outputs). */
  steps: Array<{ name: string; template: string; seconds: number }>;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
}

/**
 * A finished (Succeeded) Workflow as the Argo controller leaves it: submitted from the `ci` or
 * `cd` WorkflowTemplate, with Argo's phase/completed labels, the platform labels, a DAG root
 * node and one Pod node per step, and the outputs on the last step, the root and the globals.
 */
export function finishedWorkflow(run: SeedRun): KubeObject {
  const at = (seconds: number) => iso(new Date(run.startedAt.getTime() + seconds * 1000));
  const nodes: Record<string, unknown> = {};
  const params = (values: Record<string, string>) =>
    Object.entries(values).map(([name, value]) => ({ name, value }));
  const stepIds = run.steps.map((step) => nodeId(run.name, `${run.name}.${step.name}`));
  let elapsed = 0;
  run.steps.forEach((step, index) => {
    const id = stepIds[index] ?? '';
    const next = stepIds[index + 1];
    nodes[id] = {
      id,
      name: `${run.name}.${step.name}`,
      displayName: step.name,
      type: 'Pod',
      templateName: step.template,
      templateScope: `local/${run.name}`,
      phase: 'Succeeded',
      boundaryID: run.name,
      startedAt: at(elapsed),
      finishedAt: at(elapsed + step.seconds),
      progress: '1/1',
      resourcesDuration: { cpu: step.seconds, memory: step.seconds * 16 },
      outputs: { ...(next === undefined ? { parameters: params(run.outputs) } : {}), exitCode: '0' },
      hostNodeName: 'sandbox-node',
      ...(next !== undefined ? { children: [next] } : {}),
    };
    elapsed += step.seconds + 1;
  });
  nodes[run.name] = {
    id: run.name,
    name: run.name,
    displayName: run.name,
    type: 'DAG',
    templateName: 'main',
    templateScope: `local/${run.name}`,
    phase: 'Succeeded',
    startedAt: at(0),
    finishedAt: at(elapsed),
    progress: `${run.steps.length}/${run.steps.length}`,
    children: stepIds.slice(0, 1),
    outboundNodes: stepIds.slice(-1),
    outputs: { parameters: params(run.outputs) },
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: run.name,
      generateName: `${run.type}-`,
      namespace: run.namespace,
      labels: {
        'workflows.argoproj.io/workflow-template': run.type,
        'workflows.argoproj.io/phase': 'Succeeded',
        'workflows.argoproj.io/completed': 'true',
        [Labels.app]: run.app,
        [Labels.team]: run.team,
        [Labels.taskType]: run.type,
        [Labels.requestedBy]: run.requestedBy,
      },
    },
    spec: {
      workflowTemplateRef: { name: run.type },
      entrypoint: 'main',
      arguments: { parameters: params(run.parameters) },
    },
    status: {
      phase: 'Succeeded',
      startedAt: at(0),
      finishedAt: at(elapsed),
      progress: `${run.steps.length}/${run.steps.length}`,
      nodes,
      outputs: { parameters: params(run.outputs) },
      resourcesDuration: { cpu: elapsed, memory: elapsed * 16 },
      conditions: [
        { type: 'PodRunning', status: 'False' },
        { type: 'Completed', status: 'True' },
      ],
    },
  };
}
