import { Module } from '@nestjs/common';

/** The write path: create an app, build it (CI), deploy it (CD); each submits a workflow. */
@Module({})
export class AppsModule {}
