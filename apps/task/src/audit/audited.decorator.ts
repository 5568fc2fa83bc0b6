import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AUDIT_ACTION } from './audit-action';
import { AuditInterceptor } from './audit.interceptor';

/** Every call of the route writes an audit record named `action` (see AuditInterceptor). */
export const Audited = (action: string): MethodDecorator =>
  applyDecorators(SetMetadata(AUDIT_ACTION, action), UseInterceptors(AuditInterceptor));
