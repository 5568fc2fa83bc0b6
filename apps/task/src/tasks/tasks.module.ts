import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UpstreamsModule } from '../upstreams/upstreams.module';
import { TasksController } from './tasks.controller';
import { TaskPresenter } from './task-presenter';
import { TasksService } from './tasks.service';

/** Task queries, cancel and retry: a task is an Argo Workflow. */
@Module({
  imports: [UpstreamsModule, AuditModule],
  controllers: [TasksController],
  providers: [TasksService, TaskPresenter],
  exports: [TaskPresenter],
})
export class TasksModule {}
