import { randomUUID } from 'node:crypto';
import type { Recorder } from './recorder';

/** A portal user of one team: its token and the team whose apps it may see. */
export interface Caller {
  sub: string;
  team: string;
  token: string;
}

export interface Answer {
  status: number;
  json: unknown;
  retryAfterMs: number | undefined;
}

/** One logical change (a create, a build, a deploy) and its Idempotency-Key. */
export interface Submission {
  key: string;
  app: string;
  /** The task type of the workflow it makes; `retry` makes none (Argo reruns the failed steps). */
  type: 'create' | 'ci' | 'cd' | 'retry';
  /** The task of the 202; undefined when it was refused or every try failed. */
  taskId: string | undefined;
  attempts: number;
  refusal: string | undefined;
}

const REQUEST_TIMEOUT_MS = 40_000;
const MAX_ATTEMPTS = 8;

/**
 * The soak's HTTP client: every answer is recorded, every body a team's caller receives is scanned
 * for other teams' apps, and changes are sent with an Idempotency-Key and retried with the same
 * key on 502/503/504 or no answer, as a careful portal would.
 */
export class Api {
  readonly submissions: Submission[] = [];

  constructor(private readonly recorder: Recorder) {}

  async call(
    caller: Caller | { token: string; team?: undefined },
    method: 'GET' | 'POST',
    url: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer | undefined> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${caller.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await res.text();
    } catch {
      this.recorder.unanswered(`${method} ${route}`);
      return undefined;
    }
    this.recorder.answered(`${method} ${route}`, res.status, text);
    // A 404 echoes the name asked for; what was answered is what may leak.
    if (caller.team !== undefined && res.status < 300)
      this.recorder.scan(caller.team, `${method} ${route}`, text);
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      status: res.status,
      json,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    };
  }

  /**
   * POSTs a change under one Idempotency-Key until it is accepted or refused (a 4xx), retrying
   * upstream trouble with the same key; `stopping` ends the retries early.
   */
  async submit(
    caller: Caller,
    url: string,
    route: string,
    body: unknown,
    what: { app: string; type: Submission['type'] },
    stopping: () => boolean,
  ): Promise<Submission> {
    const submission: Submission = {
      key: randomUUID(),
      ...what,
      taskId: undefined,
      attempts: 0,
      refusal: undefined,
    };
    this.submissions.push(submission);
    while (submission.attempts < MAX_ATTEMPTS) {
      submission.attempts += 1;
      const answer = await this.call(caller, 'POST', url, route, body, {
        'idempotency-key': submission.key,
      });
      if (answer !== undefined && answer.status < 300) {
        submission.taskId = (answer.json as { id?: string } | undefined)?.id;
        return submission;
      }
      if (answer !== undefined && answer.status < 500) {
        submission.refusal = `${answer.status} ${errorCode(answer.json)}`;
        return submission;
      }
      if (stopping()) break;
      const backoff = Math.min(5000, 500 * 2 ** (submission.attempts - 1));
      await sleep(answer?.retryAfterMs ?? backoff);
    }
    submission.refusal ??= 'gave up after upstream trouble';
    return submission;
  }
}

export function errorCode(json: unknown): string {
  return (json as { error?: { code?: string } } | undefined)?.error?.code ?? '';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
