import { Module } from '@nestjs/common';

/** The app list and one app, read from Redis only. */
@Module({})
export class AppsModule {}
