import { Module } from '@nestjs/common';

/** A task's progress and step logs as a stream. */
@Module({})
export class TaskStreamModule {}
