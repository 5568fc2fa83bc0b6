import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorResponse } from './error-response';

/** The one place where thrown errors become HTTP responses; it logs only unexpected 5xx. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const result = toErrorResponse(exception);
    if (result.unexpected) this.logger.error(exception);
    else if (result.upstream !== undefined) {
      // The caller got the platform's words; what the upstream said is kept here.
      const { code, message, details } = result.upstream;
      this.logger.warn(`upstream failure ${code}: ${message} ${JSON.stringify(details ?? {})}`);
    }
    // A stream that already sent its headers cannot change status; end it instead.
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();
      return;
    }
    void reply.status(result.status).headers(result.headers).send(result.body);
  }
}
