import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { AppsController } from './apps.controller';
import { AppsService } from './apps.service';

/** The app list and one app, read from Redis only. */
@Module({ imports: [StoreModule], controllers: [AppsController], providers: [AppsService] })
export class AppsModule {}
