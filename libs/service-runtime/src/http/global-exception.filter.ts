import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HttpMetrics } from '../metrics/http-metrics';
import { toErrorResponse } from './error-response';

/** Refusals operators want to see by reason: a body too large, a budget spent, no capacity. */
const REFUSAL_STATUSES = new Set([413, 429, 503]);

/**
 * The one place where thrown errors become HTTP responses; it logs only unexpected 5xx and counts
 * refusals (413, 429, 503) by their code, so limits biting show in the metrics.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  constructor(private readonly metrics: HttpMetrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const answered = reply.sent || reply.raw.headersSent;
    // Upstream calls cancelled on purpose: the request was answered 503 (out of time) or its
    // client left. Nothing went wrong, and there is nobody to tell.
    if (isAbort(exception)) {
      if (!answered) reply.raw.destroy();
      return;
    }
    const result = toErrorResponse(exception);
    if (result.unexpected) this.logger.error(exception);
    else if (result.upstream !== undefined) {
      // The caller got the platform's words; what the upstream said is kept here.
      const { code, message, details } = result.upstream;
      this.logger.warn(`upstream failure ${code}: ${message} ${JSON.stringify(details ?? {})}`);
    }
    // A stream that already sent its headers cannot change status; end it instead.
    if (answered) {
      reply.raw.end();
      return;
    }
    if (REFUSAL_STATUSES.has(result.status)) {
      this.metrics.refusals.inc({ status_code: String(result.status), code: result.body.error.code });
    }
    void reply.status(result.status).headers(result.headers).send(result.body);
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
