import type { Router } from '../../core/http-kit';
import type { KubeObject } from '../../core/kube-object';
import { LabelSelector } from '../../core/label-selector';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError, type Gateway } from '../../grpc-gateway';
import {
  ArgoLabels,
  asRecord,
  isFulfilled,
  overrideParameters,
  parseParameterStrings,
  specOf,
  text,
} from './workflow-objects';
import { resumeAllSuspendedNodes, updateSuspendedNodes } from './suspended-nodes';
import { formulateRetry, podRunsNode } from './workflow-retry';

/** Labels a resubmitted workflow does not inherit (`FormulateResubmitWorkflow`). */
const NOT_INHERITED = new Set<string>([
  ArgoLabels.creator,
  ArgoLabels.creatorEmail,
  ArgoLabels.creatorPreferredUsername,
  ArgoLabels.phase,
  ArgoLabels.completed,
  ArgoLabels.archiveStatus,
]);

/** terminate, stop, suspend, resume, retry and resubmit of one workflow. */
export function workflowActionRoutes(router: Router, gateway: Gateway, ctx: SandboxContext): void {
  const { store } = ctx;
  const path = (action: string): string => `/api/v1/workflows/:namespace/:name/${action}`;

  // Terminate, and stop without a node field selector, shut the workflow down; stop with one
  // fails the active Suspend nodes it matches (util.StopWorkflow), e.g. a rejected approval.
  for (const [action, strategy] of [
    ['terminate', 'Terminate'],
    ['stop', 'Stop'],
  ] as const) {
    router.on(
      'PUT',
      path(action),
      gateway.unary(async ({ params, body }) => {
        const wf = store.mustGet(Kinds.Workflow, params.namespace, params.name ?? '');
        if (isFulfilled(wf)) throw new GrpcError(GrpcCode.Internal, 'cannot shutdown a completed workflow');
        const request = action === 'stop' ? asRecord(await body()) : {};
        const selector = text(request.nodeFieldSelector);
        return store.mutate(Kinds.Workflow, params.namespace, params.name ?? '', (o) => {
          if (selector === '') setSpec(o, { shutdown: strategy });
          else updateSuspendedNodes(o, selector, 'Failed', text(request.message), new Date());
        });
      }),
    );
  }

  router.on(
    'PUT',
    path('suspend'),
    gateway.unary(({ params }) => {
      const wf = store.mustGet(Kinds.Workflow, params.namespace, params.name ?? '');
      if (isFulfilled(wf))
        throw new GrpcError(GrpcCode.InvalidArgument, 'cannot suspend completed workflows');
      return Promise.resolve(
        store.mutate(Kinds.Workflow, params.namespace, params.name ?? '', (o) =>
          setSpec(o, { suspend: true }),
        ),
      );
    }),
  );

  // util.ResumeWorkflow: with a node field selector the matching active Suspend nodes succeed;
  // without one spec.suspend goes and every active Suspend node succeeds.
  router.on(
    'PUT',
    path('resume'),
    gateway.unary(async ({ params, body }) => {
      const wf = store.mustGet(Kinds.Workflow, params.namespace, params.name ?? '');
      if (isFulfilled(wf)) throw new GrpcError(GrpcCode.InvalidArgument, 'cannot resume completed workflows');
      const selector = text(asRecord(await body()).nodeFieldSelector);
      return store.mutate(Kinds.Workflow, params.namespace, params.name ?? '', (o) => {
        if (selector !== '') {
          updateSuspendedNodes(o, selector, 'Succeeded', '', new Date());
          return;
        }
        setSpec(o, { suspend: undefined });
        resumeAllSuspendedNodes(o, '', new Date());
      });
    }),
  );

  router.on(
    'PUT',
    path('retry'),
    gateway.unary(async ({ params, body }) => {
      const namespace = params.namespace ?? '';
      const wf = store.mustGet(Kinds.Workflow, namespace, params.name ?? '');
      const plan = formulateRetry(wf, await body());
      const pods = store.list(Kinds.Pod, {
        namespace,
        labelSelector: LabelSelector.fromLabels({ [ArgoLabels.workflow]: wf.metadata.name ?? '' }),
      }).items;
      for (const pod of pods) {
        if (!plan.removedNodes.some((node) => podRunsNode(pod, wf.metadata.name ?? '', node))) continue;
        store.delete(Kinds.Pod, namespace, pod.metadata.name ?? '');
        ctx.logs.deletePod(namespace, pod.metadata.name ?? '');
      }
      return store.update(Kinds.Workflow, plan.workflow);
    }),
  );

  router.on(
    'PUT',
    path('resubmit'),
    gateway.unary(async ({ params, body }) => {
      const wf = store.mustGet(Kinds.Workflow, params.namespace, params.name ?? '');
      const request = asRecord(await body());
      return store.create(Kinds.Workflow, resubmitted(wf, parseParameterStrings(request.parameters)));
    }),
  );
}

/** `util.FormulateResubmitWorkflow`: same spec, inherited labels and annotations, fresh status. */
function resubmitted(wf: KubeObject, parameters: Array<{ name: string; value: string }>): KubeObject {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(wf.metadata.labels ?? {})) {
    if (!NOT_INHERITED.has(key)) labels[key] = value;
  }
  labels[ArgoLabels.resubmittedFrom] = wf.metadata.name ?? '';
  const spec = structuredClone(specOf(wf));
  delete spec.shutdown;
  overrideParameters(spec, parameters);
  return {
    apiVersion: wf.apiVersion,
    kind: wf.kind,
    metadata: {
      generateName: wf.metadata.generateName || `${wf.metadata.name ?? ''}-`,
      namespace: wf.metadata.namespace,
      labels,
      ...(wf.metadata.annotations === undefined ? {} : { annotations: { ...wf.metadata.annotations } }),
    },
    spec,
  };
}

function setSpec(wf: KubeObject, changes: Record<string, unknown>): void {
  const spec = specOf(wf);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete spec[key];
    else spec[key] = value;
  }
  wf.spec = spec;
}
