import type { Arguments, NodePhase, NodeStatus, RetryStrategy, TemplateCall } from '../../workflow-types';
import { isFulfilled } from '../../workflow-types';
import { pastWorkflowDeadline } from './deadlines';
import { isBlocked, requeue, type ExecOptions, type Execution } from './execution';
import { goTimeString } from './go-time';

// Argo retries forever without a limit; the sandbox stops somewhere sane.
const UNLIMITED_ATTEMPTS = 100;

/**
 * A template with `retryStrategy` runs as a Retry node whose children are the attempts
 * `<name>(0)`, `<name>(1)`, ...: a new attempt starts when the last one failed in a way the
 * policy retries (after the backoff), until `limit` retries are used ("No more retries left").
 * The Retry node takes the phase and outputs of its last attempt.
 */
export function executeRetry(
  ex: Execution,
  nodeName: string,
  call: Pick<TemplateCall, 'template' | 'templateRef'>,
  args: Arguments | undefined,
  strategy: RetryStrategy,
  templateName: string,
  opts: ExecOptions,
): NodeStatus {
  const node =
    ex.book.byName(nodeName) ?? ex.book.init(nodeName, 'Retry', opts.boundaryId, templateName, 'Running');
  const attemptOpts: ExecOptions = { ...opts, retryAttempt: true };
  const lastId = node.children?.[node.children.length - 1];
  let last = lastId === undefined ? undefined : ex.book.byId(lastId);
  if (last !== undefined && !isFulfilled(last.phase)) last = ex.execute(last.name, call, args, attemptOpts);

  if (last !== undefined && isFulfilled(last.phase)) {
    if (last.phase === 'Succeeded' || last.phase === 'Skipped' || last.phase === 'Omitted') {
      if (last.outputs !== undefined) node.outputs = last.outputs;
      return ex.book.mark(node, 'Succeeded', '');
    }
    const attempts = node.children?.length ?? 0;
    if (isBlocked(ex, opts) || !canRetry(strategy, last.phase))
      return ex.book.mark(node, last.phase, last.message ?? '');
    if (ex.deadline !== undefined && pastWorkflowDeadline(ex, opts))
      return ex.book.mark(
        node,
        last.phase,
        `retry exceeded workflow deadline ${goTimeString(ex.deadline.at)}`,
      );
    if (attempts > retryLimit(strategy)) return ex.book.mark(node, last.phase, 'No more retries left');
    const wait =
      backoffMs(strategy, attempts) -
      (ex.now.getTime() - Date.parse(last.finishedAt ?? ex.now.toISOString()));
    if (wait > 0) {
      requeue(ex, wait);
      return ex.book.mark(node, 'Running', `Backoff for ${Math.ceil(wait / 1000)} seconds`);
    }
  }
  if (last === undefined || isFulfilled(last.phase)) {
    const attempt = ex.execute(`${nodeName}(${node.children?.length ?? 0})`, call, args, attemptOpts);
    ex.book.addChild(node, attempt.id);
    // An attempt that fails at once (a template error) is judged on the next pass.
    if (isFulfilled(attempt.phase)) requeue(ex, 0);
  }
  return ex.book.mark(node, 'Running', '');
}

function retryLimit(strategy: RetryStrategy): number {
  if (strategy.limit === undefined || strategy.limit === '') return UNLIMITED_ATTEMPTS;
  const limit = Number(strategy.limit);
  return Number.isFinite(limit) ? limit : UNLIMITED_ATTEMPTS;
}

function canRetry(strategy: RetryStrategy, phase: NodePhase): boolean {
  switch (strategy.retryPolicy ?? 'OnFailure') {
    case 'Always':
      return phase === 'Failed' || phase === 'Error';
    case 'OnError':
    case 'OnTransientError':
      return phase === 'Error';
    case 'OnFailure':
      return phase === 'Failed';
  }
}

/** `backoff.duration` (Go duration or seconds) times `factor` to the power of earlier retries. */
function backoffMs(strategy: RetryStrategy, attempts: number): number {
  const duration = strategy.backoff?.duration;
  if (duration === undefined) return 0;
  const base = parseDurationMs(duration);
  const factor = Number(strategy.backoff?.factor ?? 1) || 1;
  return base * factor ** Math.max(0, attempts - 1);
}

export function parseDurationMs(value: string | number): number {
  if (typeof value === 'number') return value * 1000;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  let total = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
  }
  return total;
}
