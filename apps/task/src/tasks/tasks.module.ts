import { Module } from '@nestjs/common';
import { ArgoModule } from '../argo/argo.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** Task queries, cancel and retry: a task is an Argo Workflow. */
@Module({
  imports: [ArgoModule],
  controllers: [TasksController],
  providers: [TasksService],
})
export class TasksModule {}
