import { randomUUID } from 'node:crypto';
import http from 'node:http';

/** One POST and what became of it. */
export interface PostOutcome {
  key: string;
  app: string;
  sentAt: number;
  /** The HTTP status, or 0 when no answer came. */
  status: number;
  /** `id` of an accepted task, `error.code` of a refusal. */
  taskId: string | undefined;
  code: string | undefined;
  retryAfter: string | undefined;
  /** The socket error when there was no answer (ECONNREFUSED: never accepted). */
  error: string | undefined;
}

/**
 * Sends build requests (each with its own Idempotency-Key) over a few keep-alive connections, as
 * an Ingress controller's upstream pool does, one every `everyMs` until stopped; every request's
 * outcome is kept.
 */
export class PostLoad {
  readonly outcomes: Array<Promise<PostOutcome>> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  constructor(
    private readonly baseUrl: string,
    private readonly tokens: readonly string[],
    private readonly apps: readonly string[],
  ) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => this.outcomes.push(this.post()), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.agent.destroy();
  }

  async settled(): Promise<PostOutcome[]> {
    return Promise.all(this.outcomes);
  }

  private post(): Promise<PostOutcome> {
    const n = this.outcomes.length;
    const app = this.apps[n % this.apps.length] ?? '';
    // Round-robin over users, each well within the per-user budget of changes.
    const token = this.tokens[n % this.tokens.length] ?? '';
    const outcome: PostOutcome = {
      key: randomUUID(),
      app,
      sentAt: Date.now(),
      status: 0,
      taskId: undefined,
      code: undefined,
      retryAfter: undefined,
      error: undefined,
    };
    const body = JSON.stringify({ ref: 'main' });
    return new Promise((resolve) => {
      const req = http.request(
        `${this.baseUrl}/task/v1/apps/${app}/builds`,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'idempotency-key': outcome.key,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            outcome.status = res.statusCode ?? 0;
            outcome.retryAfter = res.headers['retry-after'];
            try {
              const json = JSON.parse(text) as { id?: string; error?: { code?: string } };
              outcome.taskId = json.id;
              outcome.code = json.error?.code;
            } catch {
              outcome.code = `not JSON: ${text.slice(0, 80)}`;
            }
            resolve(outcome);
          });
          res.on('error', (error) => {
            outcome.error = error.message;
            resolve(outcome);
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        outcome.error = error.code ?? error.message;
        resolve(outcome);
      });
      req.end(body);
    });
  }
}
