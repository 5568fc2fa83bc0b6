import { Module } from '@nestjs/common';
import { AuditInterceptor } from './audit.interceptor';
import { AuditLog } from './audit-log';

/** Audit records of mutating requests (log + Redis stream). */
@Module({
  providers: [AuditLog, AuditInterceptor],
  exports: [AuditLog, AuditInterceptor],
})
export class AuditModule {}
