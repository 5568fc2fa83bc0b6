import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TasksModule } from '../tasks/tasks.module';
import { UpstreamsModule } from '../upstreams/upstreams.module';
import { AppDirectory } from './app-directory';
import { AppsController } from './apps.controller';
import { AppsService } from './apps.service';
import { BuiltImages } from './built-images';
import { CreateLock } from './create-lock';

/** Create, build and deploy apps: each request becomes a task. */
@Module({
  imports: [UpstreamsModule, TasksModule, AuditModule],
  controllers: [AppsController],
  providers: [AppsService, AppDirectory, BuiltImages, CreateLock],
})
export class AppsModule {}
