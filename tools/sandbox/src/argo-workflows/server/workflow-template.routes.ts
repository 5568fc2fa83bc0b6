import type { Router } from '../../core/http-kit';
import type { KubeObject } from '../../core/kube-object';
import { LabelSelector } from '../../core/label-selector';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError, type Gateway } from '../../grpc-gateway';
import { asRecord } from './workflow-objects';

/** `/api/v1/workflow-templates/{namespace}`: list, create, get, update, lint, delete. */
export function workflowTemplateRoutes(router: Router, gateway: Gateway, ctx: SandboxContext): void {
  const { store } = ctx;
  const base = '/api/v1/workflow-templates/:namespace';

  router.on(
    'GET',
    base,
    gateway.unary(({ params, query }) => {
      let labelSelector: LabelSelector;
      try {
        labelSelector = LabelSelector.parse(query.get('listOptions.labelSelector') ?? '');
      } catch (error) {
        throw new GrpcError(GrpcCode.InvalidArgument, error instanceof Error ? error.message : String(error));
      }
      const pattern = query.get('namePattern') ?? '';
      const { items, resourceVersion } = store.list(Kinds.WorkflowTemplate, {
        namespace: params.namespace,
        labelSelector,
      });
      return Promise.resolve({
        metadata: { resourceVersion },
        items: items.filter((t) => (t.metadata.name ?? '').includes(pattern)),
      });
    }),
  );

  router.on(
    'POST',
    base,
    gateway.unary(async ({ params, body }) => {
      const request = asRecord(await body());
      const template = requireTemplate(request.template, params.namespace ?? '');
      const createOptions = asRecord(request.createOptions);
      if (Array.isArray(createOptions.dryRun) && createOptions.dryRun.length > 0) return template;
      return store.create(Kinds.WorkflowTemplate, template);
    }),
  );

  router.on(
    'POST',
    `${base}/lint`,
    gateway.unary(async ({ params, body }) =>
      requireTemplate(asRecord(await body()).template, params.namespace ?? ''),
    ),
  );

  router.on(
    'GET',
    `${base}/:name`,
    gateway.unary(({ params }) =>
      Promise.resolve(store.mustGet(Kinds.WorkflowTemplate, params.namespace, params.name ?? '')),
    ),
  );

  router.on(
    'PUT',
    `${base}/:name`,
    gateway.unary(async ({ params, body }) => {
      const template = requireTemplate(asRecord(await body()).template, params.namespace ?? '');
      template.metadata.name ||= params.name;
      return store.update(Kinds.WorkflowTemplate, template);
    }),
  );

  router.on(
    'DELETE',
    `${base}/:name`,
    gateway.unary(({ params }) => {
      store.delete(Kinds.WorkflowTemplate, params.namespace, params.name ?? '');
      return Promise.resolve({});
    }),
  );
}

function requireTemplate(input: unknown, namespace: string): KubeObject {
  if (input === undefined || input === null || typeof input !== 'object') {
    throw new GrpcError(GrpcCode.InvalidArgument, 'workflow template was not found in the request body');
  }
  const template = structuredClone(input) as KubeObject;
  template.metadata = asRecord(template.metadata);
  template.metadata.namespace = namespace;
  const spec = asRecord(template.spec);
  const templates = Array.isArray(spec.templates) ? (spec.templates as Array<Record<string, unknown>>) : [];
  const entrypoint = spec.entrypoint;
  if (typeof entrypoint === 'string' && entrypoint !== '' && !templates.some((t) => t.name === entrypoint)) {
    throw new GrpcError(GrpcCode.InvalidArgument, `spec.entrypoint template '${entrypoint}' undefined`);
  }
  return template;
}
