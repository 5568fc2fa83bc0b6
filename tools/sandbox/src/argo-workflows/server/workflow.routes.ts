import { randomUUID } from 'node:crypto';
import type { Router } from '../../core/http-kit';
import type { KubeObject } from '../../core/kube-object';
import { randomSuffix } from '../../core/object-store';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError, type Gateway } from '../../grpc-gateway';
import { asRecord, text } from './workflow-objects';
import { listWorkflows, parseWorkflowListOptions } from './workflow-list';
import {
  applySubmitOptions,
  assertSubmittableKind,
  validateAgainstTemplate,
  workflowFromTemplate,
} from './workflow-submit';

/** Create, submit, get, list, lint and delete of `/api/v1/workflows/{namespace}`. */
export function workflowRoutes(router: Router, gateway: Gateway, ctx: SandboxContext): void {
  const { store } = ctx;

  router.on(
    'POST',
    '/api/v1/workflows/:namespace',
    gateway.unary(async ({ params, body }) => {
      const request = asRecord(await body());
      const wf = requireWorkflow(request.workflow, params.namespace ?? '');
      validateWorkflow(ctx, wf);
      const createOptions = asRecord(request.createOptions);
      if (Array.isArray(createOptions.dryRun) && createOptions.dryRun.length > 0) return wf;
      if (request.serverDryRun === true) return dryRunCreated(wf);
      return store.create(Kinds.Workflow, wf);
    }),
  );

  router.on(
    'POST',
    '/api/v1/workflows/:namespace/submit',
    gateway.unary(async ({ params, body }) => {
      const namespace = params.namespace ?? '';
      const request = asRecord(await body());
      assertSubmittableKind(request.resourceKind);
      const template = store.mustGet(Kinds.WorkflowTemplate, namespace, text(request.resourceName));
      const wf = workflowFromTemplate(template);
      wf.metadata.namespace = namespace;
      const options = asRecord(request.submitOptions);
      applySubmitOptions(wf, options);
      validateAgainstTemplate(wf, template);
      if (options.dryRun === true) return wf;
      if (options.serverDryRun === true) return dryRunCreated(wf);
      return store.create(Kinds.Workflow, wf);
    }),
  );

  router.on(
    'POST',
    '/api/v1/workflows/:namespace/lint',
    gateway.unary(async ({ params, body }) => {
      const wf = requireWorkflow(asRecord(await body()).workflow, params.namespace ?? '');
      validateWorkflow(ctx, wf);
      return wf;
    }),
  );

  router.on(
    'GET',
    '/api/v1/workflows/:namespace',
    gateway.unary(
      ({ params, query }) =>
        Promise.resolve(listWorkflows(store, parseWorkflowListOptions(params.namespace ?? '', query))),
      { fields: true },
    ),
  );

  router.on(
    'GET',
    '/api/v1/workflows/:namespace/:name',
    gateway.unary(
      ({ params }) => Promise.resolve(store.mustGet(Kinds.Workflow, params.namespace, params.name ?? '')),
      {
        fields: true,
      },
    ),
  );

  router.on(
    'DELETE',
    '/api/v1/workflows/:namespace/:name',
    gateway.unary(({ params }) => {
      store.delete(Kinds.Workflow, params.namespace, params.name ?? '');
      return Promise.resolve({});
    }),
  );
}

function requireWorkflow(input: unknown, namespace: string): KubeObject {
  if (input === undefined || input === null || typeof input !== 'object') {
    throw new GrpcError(GrpcCode.InvalidArgument, 'workflow body not specified');
  }
  const wf = structuredClone(input) as KubeObject;
  wf.metadata = asRecord(wf.metadata);
  wf.metadata.namespace ||= namespace;
  if (wf.metadata.namespace !== namespace) {
    throw new GrpcError(
      GrpcCode.InvalidArgument,
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  // Server-owned fields a client may have copied from another object.
  delete wf.metadata.deletionTimestamp;
  delete wf.metadata.resourceVersion;
  return wf;
}

/** The entry point must exist, in the workflow or in the template it references. */
function validateWorkflow(ctx: SandboxContext, wf: KubeObject): void {
  const ref = asRecord(asRecord(wf.spec).workflowTemplateRef);
  if (typeof ref.name === 'string' && ref.name !== '') {
    const template = ctx.store.get(Kinds.WorkflowTemplate, wf.metadata.namespace, ref.name);
    if (template === undefined) {
      throw new GrpcError(GrpcCode.InvalidArgument, `workflowtemplates.argoproj.io "${ref.name}" not found`);
    }
    validateAgainstTemplate(wf, template);
    return;
  }
  validateAgainstTemplate(wf, wf);
}

/** What a dry-run create returns: the object as it would be stored, not stored. */
function dryRunCreated(wf: KubeObject): KubeObject {
  const created = structuredClone(wf);
  created.metadata.name ||= `${created.metadata.generateName ?? ''}${randomSuffix()}`;
  created.metadata.uid = randomUUID();
  created.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return created;
}
