import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { NamespaceEvents } from './namespace-events';

/** Kubernetes events of an app's objects. */
@Module({
  controllers: [EventsController],
  providers: [EventsService, NamespaceEvents],
  exports: [EventsService],
})
export class EventsModule {}
