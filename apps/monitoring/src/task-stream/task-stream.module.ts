import { Module } from '@nestjs/common';
import { TaskAccess } from './task-access';
import { TaskStreamController } from './task-stream.controller';
import { TaskStreamService } from './task-stream.service';

/** A task's progress and step logs as a stream. */
@Module({
  controllers: [TaskStreamController],
  providers: [TaskAccess, TaskStreamService],
  exports: [TaskStreamService],
})
export class TaskStreamModule {}
