/** What was done to which app by whom, and how it ended: one per mutating request. */
export interface AuditRecord {
  at: string;
  /** e.g. app.create, app.build, app.deploy, task.cancel, task.retry */
  action: string;
  actor: string;
  actorName: string | null;
  app: string | null;
  taskId: string | null;
  /** accepted: done; replayed: an Idempotency-Key repeat; refused: 4xx; failed: 5xx. */
  outcome: 'accepted' | 'replayed' | 'refused' | 'failed';
  status: number;
  /** The error code when refused or failed. */
  code: string | null;
  requestId: string | null;
}
