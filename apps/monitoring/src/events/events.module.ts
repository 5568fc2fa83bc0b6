import { Module } from '@nestjs/common';

/** Kubernetes events of an app's objects. */
@Module({})
export class EventsModule {}
