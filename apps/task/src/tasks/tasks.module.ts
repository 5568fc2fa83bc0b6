import { Module } from '@nestjs/common';

/** Task queries, cancel and retry: a task is an Argo Workflow. */
@Module({})
export class TasksModule {}
