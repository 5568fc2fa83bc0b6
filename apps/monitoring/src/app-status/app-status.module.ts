import { Module } from '@nestjs/common';

/** An app's Argo CD sync, health and operation state as a stream. */
@Module({})
export class AppStatusModule {}
