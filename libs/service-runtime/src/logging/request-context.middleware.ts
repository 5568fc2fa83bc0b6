import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext } from './request-context';
import { assignRequestId } from './request-id';

/** Runs the rest of the request inside {@link RequestContext} so its id reaches upstream calls. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
    RequestContext.run(assignRequestId(req), next, req);
  }
}
