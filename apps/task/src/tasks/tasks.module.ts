import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UpstreamsModule } from '../upstreams/upstreams.module';
import { TasksController } from './tasks.controller';
import { IdempotentSubmissions } from '../idempotency/idempotent-submissions';
import { TaskSubmitter } from '../submit/task-submitter';
import { AppActivity } from './app-activity';
import { TaskPresenter } from './task-presenter';
import { TasksService } from './tasks.service';

/** Task queries, cancel and retry: a task is an Argo Workflow. */
@Module({
  imports: [UpstreamsModule, AuditModule],
  controllers: [TasksController],
  providers: [TasksService, TaskPresenter, TaskSubmitter, IdempotentSubmissions, AppActivity],
  exports: [TaskPresenter, TaskSubmitter, IdempotentSubmissions, AppActivity],
})
export class TasksModule {}
