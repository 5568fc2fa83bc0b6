import { Module } from '@nestjs/common';

/** Merged logs of all of an app's pods. */
@Module({})
export class LogsModule {}
