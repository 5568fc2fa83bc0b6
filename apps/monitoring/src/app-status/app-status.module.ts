import { Module } from '@nestjs/common';
import { AppStatusController } from './app-status.controller';
import { AppStatusService } from './app-status.service';

/** An app's Argo CD sync, health and operation state as a stream. */
@Module({
  controllers: [AppStatusController],
  providers: [AppStatusService],
  exports: [AppStatusService],
})
export class AppStatusModule {}
