import type { PageSink } from '@platform/watch';
import type { Workflow, WorkflowList } from '@platform/upstream-types';

export interface WorkflowPagesOptions {
  /** Workflows per request (`listOptions.limit`). */
  pageSize: number;
  /** How many of a page's last workflows the next request reads again, as anchors. */
  overlap: number;
  /** Lists started over (anchor lost) before giving up; the watch then backs off and relists. */
  maxRestarts: number;
}

export const DEFAULT_WORKFLOW_PAGES: WorkflowPagesOptions = { pageSize: 500, overlap: 25, maxRestarts: 5 };

/** One request: `continue` is the offset Argo returned, undefined for the first page. */
export type ListWorkflowPage = (page: { limit: number; continue?: string }) => Promise<WorkflowList>;

/**
 * Lists workflows page by page with `listOptions.limit` and `listOptions.continue`, handing each
 * page on as it comes; resolves with the first page's resourceVersion for the watch to start
 * from (the watch then replays every change made while the pages were read).
 *
 * Argo's `continue` is an OFFSET into a list sorted by finish time, not a Kubernetes key: a
 * workflow deleted or finished while the pages are read shifts the ones after it, and a page
 * could then skip an unchanged workflow that no replayed event would bring. So each request
 * after the first starts `overlap` workflows before the previous page's end, and its first
 * workflow must be one of those, unchanged (same name and resourceVersion): unchanged workflows
 * keep their relative order, so nothing between was skipped. Re-read ones are not handed on
 * twice. When the anchor is lost (more than `overlap` shifted between two requests) the list
 * starts over, as a new `first` page.
 */
export async function listWorkflowPages(
  listPage: ListWorkflowPage,
  onPage: PageSink<Workflow>,
  options: WorkflowPagesOptions = DEFAULT_WORKFLOW_PAGES,
): Promise<{ resourceVersion?: string }> {
  let restartedBecause: string | undefined;
  for (let restarts = 0; ; restarts += 1) {
    const read = await readPages(listPage, onPage, options, restartedBecause);
    if (read.anchored) return { resourceVersion: read.resourceVersion };
    if (restarts >= options.maxRestarts)
      throw new Error(`workflows kept shifting between list pages (${restarts + 1} attempts)`);
    restartedBecause = 'workflows shifted between list pages: listing again';
  }
}

async function readPages(
  listPage: ListWorkflowPage,
  onPage: PageSink<Workflow>,
  options: WorkflowPagesOptions,
  restartedBecause: string | undefined,
): Promise<{ anchored: boolean; resourceVersion?: string }> {
  const list = await listPage({ limit: options.pageSize });
  const resourceVersion = list.metadata.resourceVersion;
  let next = handOn(list, undefined, onPage, options, restartedBecause);
  while (next !== undefined) {
    const page = await listPage({ limit: options.pageSize, continue: String(next.offset) });
    if (!anchored(page.items ?? [], next.tail)) return { anchored: false };
    next = handOn(page, next.tail, onPage, options, undefined);
  }
  return { anchored: true, resourceVersion };
}

interface NextPage {
  offset: number;
  /** name → resourceVersion of the previous page's last `overlap` workflows. */
  tail: Map<string, string | undefined>;
}

function handOn(
  list: WorkflowList,
  previousTail: Map<string, string | undefined> | undefined,
  onPage: PageSink<Workflow>,
  options: WorkflowPagesOptions,
  restartedBecause: string | undefined,
): NextPage | undefined {
  const items = list.items ?? [];
  const fresh = previousTail === undefined ? items : items.filter((w) => !previousTail.has(nameOf(w)));
  const end = Number(list.metadata.continue ?? '');
  const last =
    list.metadata.continue === undefined || list.metadata.continue === '' || !Number.isInteger(end);
  onPage(fresh, { first: previousTail === undefined, last, restartedBecause });
  if (last) return undefined;
  const tail = new Map(items.slice(-options.overlap).map((w) => [nameOf(w), w.metadata.resourceVersion]));
  return { offset: Math.max(0, end - tail.size), tail };
}

/** Whether a page begins with a workflow the previous page ended with, unchanged. */
function anchored(items: Workflow[], tail: Map<string, string | undefined>): boolean {
  const head = items[0];
  if (head === undefined) return false;
  const seen = tail.get(nameOf(head));
  return tail.has(nameOf(head)) && seen === head.metadata.resourceVersion;
}

function nameOf(workflow: Workflow): string {
  return workflow.metadata.name ?? '';
}
