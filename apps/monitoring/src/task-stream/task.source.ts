import type { ArgoWorkflows, LogEntry, Workflow } from '@platform/argo-client';
import { ArgoLabels, taskFromWorkflow, type Task, type TaskLinks } from '@platform/domain';
import { gatherSnapshotPages } from '@platform/watch';
import type { Subscription } from 'rxjs';
import type { TopicFeed, TopicSource } from '../streams/topic';
import { stepOfPod } from './step-of-pod';
import type { TaskLogLine } from '@platform/domain';
import { LogDeduplicator } from './task-log';

export interface TaskSourceOptions {
  namespace: string;
  id: string;
  links: TaskLinks;
  /** Log lines kept for the snapshot of a client that joins late. */
  maxLogLines: number;
  /** How long to wait for the last log batch after the workflow completed. */
  logGraceMs: number;
  /** Delay before reopening a log stream that ended while the workflow still runs. */
  logReopenMs: number;
}

/**
 * A task's topic: one Argo watch of its workflow (a `task` event on every change of the Task)
 * and one followed log stream (a `log` event per line, reopened without repeats if it drops).
 * When the workflow has completed and its logs have ended, the final `complete` event carries
 * the finished Task and the topic ends.
 */
export function taskSource(argo: ArgoWorkflows, options: TaskSourceOptions): TopicSource {
  return (feed) => new TaskFollower(argo, options, feed).start();
}

class TaskFollower {
  private workflow: Workflow | undefined;
  private task: Task | undefined;
  private signature = '';
  private readonly lines: TaskLogLine[] = [];
  /** What a late joiner's snapshot shows; kept current in place instead of copied per line. */
  private readonly view: { task: Task | undefined; logs: TaskLogLine[] } = {
    task: undefined,
    logs: this.lines,
  };
  private readonly dedupe = new LogDeduplicator();
  private watch: Subscription | undefined;
  private logs: Subscription | undefined;
  private timers: NodeJS.Timeout[] = [];
  private connected = false;
  private workflowDone = false;
  private logsDone = false;
  private finished = false;

  constructor(
    private readonly argo: ArgoWorkflows,
    private readonly options: TaskSourceOptions,
    private readonly feed: TopicFeed,
  ) {}

  start(): () => void {
    const { namespace, id } = this.options;
    // One workflow: its list is gathered whole.
    this.watch = this.argo
      .watch(namespace, { fieldSelector: `metadata.name=${id}` })
      .pipe(gatherSnapshotPages())
      .subscribe({
        next: (notice) => {
          switch (notice.kind) {
            case 'snapshot': {
              const workflow = notice.items.find((w) => w.metadata.name === id);
              if (workflow === undefined) return this.gone();
              if (this.connected) this.feed.publish('reconnecting', { reason: notice.reason });
              this.connected = true;
              this.update(workflow, true);
              return;
            }
            case 'event':
              if (notice.event.object.metadata.name !== id) return;
              if (notice.event.type === 'DELETED') return this.gone();
              this.update(notice.event.object, false);
              return;
            case 'resync':
            case 'reconnected':
              this.feed.publish('reconnecting', { reason: notice.reason });
              return;
          }
        },
        error: (error: unknown) => this.fail(`the Argo Workflows watch failed: ${(error as Error).message}`),
      });
    this.openLogs();
    return () => this.stop();
  }

  private update(workflow: Workflow, snapshot: boolean): void {
    this.workflow = workflow;
    const task = taskFromWorkflow(workflow, this.options.links);
    const signature = JSON.stringify(task);
    if (snapshot) {
      this.task = task;
      this.signature = signature;
      this.view.task = task;
      this.feed.snapshot({ task, logs: [...this.lines] });
      this.feed.setState(this.view);
    } else if (signature !== this.signature) {
      this.task = task;
      this.signature = signature;
      this.view.task = task;
      this.feed.publish('task', task);
    }
    if (!this.workflowDone && isCompleted(workflow)) {
      this.workflowDone = true;
      // Argo sends the last log batch about a second after the end; do not wait forever for it.
      this.later(this.options.logGraceMs, () => this.finish());
      this.finishIfDone();
    }
  }

  private openLogs(): void {
    this.dedupe.reopened();
    this.logs = this.argo.logs(this.options.namespace, this.options.id, { follow: true }).subscribe({
      next: (entry) => this.onLog(entry),
      complete: () => this.onLogsEnded(),
      // A failed log stream is reopened; the watch decides when the task is over.
      error: () => this.onLogsEnded(),
    });
  }

  private onLog(entry: LogEntry): void {
    if (!this.dedupe.accept(entry.podName)) return;
    const step = this.workflow === undefined ? null : stepOfPod(this.workflow, entry.podName);
    const line: TaskLogLine = { pod: entry.podName, step, line: entry.content.replace(/\n$/, '') };
    this.lines.push(line);
    if (this.lines.length > this.options.maxLogLines) this.lines.shift();
    this.feed.publish('log', line);
  }

  private onLogsEnded(): void {
    if (this.finished) return;
    if (this.workflowDone) {
      this.logsDone = true;
      return this.finishIfDone();
    }
    this.later(this.options.logReopenMs, () => {
      if (!this.finished && !this.logsDone) this.openLogs();
    });
  }

  private finishIfDone(): void {
    if (this.workflowDone && this.logsDone) this.finish();
  }

  private finish(): void {
    if (this.finished || this.task === undefined) return;
    this.finished = true;
    this.feed.complete('complete', this.task);
  }

  private gone(): void {
    this.fail(`task "${this.options.id}" no longer exists (its workflow was deleted)`);
  }

  private fail(message: string): void {
    if (this.finished) return;
    this.finished = true;
    this.feed.complete('upstream-error', { message });
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(run, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private stop(): void {
    this.finished = true;
    this.watch?.unsubscribe();
    this.logs?.unsubscribe();
    this.timers.forEach(clearTimeout);
    this.timers = [];
  }
}

function isCompleted(workflow: Workflow): boolean {
  const phase = workflow.status?.phase;
  return (
    workflow.metadata.labels?.[ArgoLabels.completed] === 'true' ||
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    phase === 'Error'
  );
}
