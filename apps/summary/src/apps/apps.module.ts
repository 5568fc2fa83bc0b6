import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { AppsController } from './apps.controller';
import { AppsService } from './apps.service';
import { PageBuffers } from './page-buffers';

/** The app list and one app, read from Redis only. */
@Module({ imports: [StoreModule], controllers: [AppsController], providers: [AppsService, PageBuffers] })
export class AppsModule {}
