import type { KubeObject } from '../../core/kube-object';
import { LabelSelector } from '../../core/label-selector';
import type { ObjectStore } from '../../core/object-store';
import { Kinds } from '../../core/resource-kinds';
import { GrpcCode, GrpcError, parseOptionalInt } from '../../grpc-gateway';
import { statusOf, timeOf } from './workflow-objects';

/** What `sutils.BuildListOptions` makes of a list request. */
export interface WorkflowListOptions {
  namespace: string;
  name: string;
  nameFilter: string;
  minStartedAt?: number;
  maxStartedAt?: number;
  createdAfter?: number;
  finishedBefore?: number;
  labelSelector: LabelSelector;
  limit: number;
  offset: number;
  showRemainingItemCount: boolean;
}

/** Parses the query of `GET /api/v1/workflows/{ns}` with the real server's messages. */
export function parseWorkflowListOptions(namespace: string, query: URLSearchParams): WorkflowListOptions {
  const continueText = query.get('listOptions.continue') || '0';
  if (!/^[+-]?\d+$/.test(continueText)) throw invalid('listOptions.continue must be int');
  const offset = Number(continueText);
  if (offset < 0) throw invalid('listOptions.continue must >= 0');
  const options: WorkflowListOptions = {
    namespace,
    name: '',
    nameFilter: query.get('nameFilter') ?? '',
    labelSelector: parseLabels(query.get('listOptions.labelSelector') ?? ''),
    limit: parseOptionalInt(query.get('listOptions.limit')) ?? 0,
    offset,
    showRemainingItemCount: false,
    createdAfter: optionalTime(query.get('createdAfter')),
    finishedBefore: optionalTime(query.get('finishedBefore')),
  };
  for (const selector of (query.get('listOptions.fieldSelector') ?? '').split(',')) {
    if (selector === '') continue;
    if (selector.startsWith('metadata.namespace=')) {
      const selected = selector.slice('metadata.namespace='.length);
      if (options.namespace === '') options.namespace = selected;
      else if (options.namespace !== selected) {
        throw invalid(
          `'namespace' query param (${JSON.stringify(options.namespace)}) and fieldselector 'metadata.namespace' (${JSON.stringify(selected)}) are both specified and contradict each other`,
        );
      }
    } else if (selector.startsWith('metadata.name=')) options.name = selector.slice('metadata.name='.length);
    else if (selector.startsWith('spec.startedAt>'))
      options.minStartedAt = rfc3339(selector.slice('spec.startedAt>'.length));
    else if (selector.startsWith('spec.startedAt<'))
      options.maxStartedAt = rfc3339(selector.slice('spec.startedAt<'.length));
    else if (selector.startsWith('ext.showRemainingItemCount')) {
      options.showRemainingItemCount = selector.slice('ext.showRemainingItemCount='.length) === 'true';
    } else throw invalid(`unsupported requirement ${selector}`);
  }
  return options;
}

/** One page of workflows: unfinished first (newest first), then by finishedAt descending. */
export function listWorkflows(store: ObjectStore, options: WorkflowListOptions): Record<string, unknown> {
  // The server (argo-workflows server/workflow/workflow_server.go ListWorkflows, continue as an
  // offset) filters and sorts every workflow for each page; the store keeps the result until a
  // workflow changes, so paging through thousands is not quadratic here (the answers are the same).
  const { offset: _offset, limit: _limit, ...filters } = options;
  const matching = store.derived(Kinds.Workflow, `argo-list|${JSON.stringify(filters)}`, () =>
    store
      .listShared(Kinds.Workflow, {
        namespace: options.namespace || undefined,
        labelSelector: options.labelSelector,
      })
      .items.filter((wf) => matchesFilters(wf, options))
      .sort(byArgoOrder),
  );
  const end = options.limit > 0 ? options.offset + options.limit : matching.length;
  const page = matching.slice(options.offset, end);
  const remaining = Math.max(0, matching.length - options.offset - page.length);
  const metadata: Record<string, unknown> = { resourceVersion: store.resourceVersion };
  if (remaining > 0) metadata.continue = String(options.offset + page.length);
  if (options.showRemainingItemCount) metadata.remainingItemCount = remaining;
  // Go marshals the nil slice of an empty page as null.
  return { metadata, items: page.length === 0 ? null : page };
}

function matchesFilters(wf: KubeObject, options: WorkflowListOptions): boolean {
  const name = wf.metadata.name ?? '';
  if (options.name !== '') {
    switch (options.nameFilter) {
      case 'Contains':
        if (!name.includes(options.name)) return false;
        break;
      case 'Prefix':
        if (!name.startsWith(options.name)) return false;
        break;
      case 'NotEquals':
        if (name === options.name) return false;
        break;
      default:
        if (name !== options.name) return false;
    }
  }
  const status = statusOf(wf);
  const startedAt = timeOf(status.startedAt);
  if (options.minStartedAt !== undefined && (startedAt === undefined || startedAt <= options.minStartedAt))
    return false;
  if (options.maxStartedAt !== undefined && (startedAt === undefined || startedAt >= options.maxStartedAt))
    return false;
  const createdAt = timeOf(wf.metadata.creationTimestamp);
  if (options.createdAfter !== undefined && (createdAt === undefined || createdAt <= options.createdAfter))
    return false;
  const finishedAt = timeOf(status.finishedAt);
  if (
    options.finishedBefore !== undefined &&
    (finishedAt === undefined || finishedAt >= options.finishedBefore)
  )
    return false;
  return true;
}

/** `wfv1.Workflows.Less`. */
function byArgoOrder(a: KubeObject, b: KubeObject): number {
  const aFinish = timeOf(statusOf(a).finishedAt);
  const bFinish = timeOf(statusOf(b).finishedAt);
  if (aFinish === undefined && bFinish === undefined) {
    return (timeOf(b.metadata.creationTimestamp) ?? 0) - (timeOf(a.metadata.creationTimestamp) ?? 0);
  }
  if (aFinish === undefined) return -1;
  if (bFinish === undefined) return 1;
  return bFinish - aFinish;
}

function parseLabels(text: string): LabelSelector {
  try {
    return LabelSelector.parse(text);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
}

function rfc3339(text: string): number {
  const ms = Date.parse(text);
  // Argo parses these with time.Parse and answers Internal when that fails.
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new GrpcError(
      GrpcCode.Internal,
      `parsing time ${JSON.stringify(text)} as "2006-01-02T15:04:05Z07:00": cannot parse`,
    );
  }
  return ms;
}

function optionalTime(text: string | null): number | undefined {
  return text === null || text === '' ? undefined : rfc3339(text);
}

function invalid(message: string): GrpcError {
  return new GrpcError(GrpcCode.InvalidArgument, message);
}
