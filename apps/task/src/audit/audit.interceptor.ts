import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequestContext, toErrorResponse, type AuthenticatedRequest } from '@platform/service-runtime';
import type { FastifyReply } from 'fastify';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { AuditLog } from './audit-log';
import type { AuditRecord } from './audit-record';
import { AUDIT_ACTION } from './audit-action';

interface Outcome {
  status: number;
  taskId: string | null;
  app: string | null;
  code: string | null;
  replayed: boolean;
}

/**
 * Writes the audit record of an @Audited route once it has answered, successfully or not. The
 * record is written before the response is sent, so a reply the caller saw is never unaudited.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(AUDIT_ACTION, context.getHandler());
    if (action === undefined) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const named = requestedNames(request);
    const record = (outcome: Outcome): Promise<void> => this.audit.write(toRecord(action, request, outcome));
    return next.handle().pipe(
      mergeMap((result: unknown) => {
        const task = result as { id?: string; app?: string | null };
        const outcome: Outcome = {
          status: reply.statusCode,
          taskId: task.id ?? named.taskId,
          app: task.app ?? named.app,
          code: null,
          replayed: reply.getHeader('idempotent-replayed') === 'true',
        };
        return from(record(outcome).then(() => result));
      }),
      catchError((error: unknown) => {
        const { status, body } = toErrorResponse(error);
        const outcome: Outcome = { status, ...named, code: body.error.code, replayed: false };
        return from(record(outcome)).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}

/** The app and task a request names in its path or body, before it has been validated. */
function requestedNames(request: AuthenticatedRequest): { app: string | null; taskId: string | null } {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const text = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, 100) : null);
  return { app: text(params.app) ?? text(body.name), taskId: text(params.id) };
}

function toRecord(action: string, request: AuthenticatedRequest, outcome: Outcome): AuditRecord {
  return {
    at: new Date().toISOString(),
    action,
    actor: request.principal?.id ?? 'anonymous',
    actorName: request.principal?.name ?? null,
    app: outcome.app,
    taskId: outcome.taskId,
    outcome:
      outcome.status >= 500
        ? 'failed'
        : outcome.status >= 400
          ? 'refused'
          : outcome.replayed
            ? 'replayed'
            : 'accepted',
    status: outcome.status,
    code: outcome.code,
    requestId: RequestContext.requestId() ?? null,
  };
}
