import { Module } from '@nestjs/common';
import { AppStatusModule } from '../app-status/app-status.module';
import { EventsModule } from '../events/events.module';
import { LogsModule } from '../logs/logs.module';
import { TaskStreamModule } from '../task-stream/task-stream.module';
import { MultiplexController } from './multiplex.controller';

/** One connection carrying several topics for several apps. */
@Module({
  imports: [AppStatusModule, EventsModule, LogsModule, TaskStreamModule],
  controllers: [MultiplexController],
})
export class MultiplexModule {}
