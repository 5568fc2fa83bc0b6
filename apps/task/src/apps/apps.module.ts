import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TasksModule } from '../tasks/tasks.module';
import { UpstreamsModule } from '../upstreams/upstreams.module';
import { AppDirectory } from './app-directory';
import { AppsController } from './apps.controller';
import { AppsService } from './apps.service';
import { BuiltImages } from './built-images';
import { CreateLock } from './create-lock';
import { DeploymentHistory } from '../deployments/deployment-history';
import { DeploymentsController } from '../deployments/deployments.controller';
import { DeploymentsService } from '../deployments/deployments.service';

/** Create, build, deploy, promote and roll back apps: each request becomes a task. */
@Module({
  imports: [UpstreamsModule, TasksModule, AuditModule],
  controllers: [AppsController, DeploymentsController],
  providers: [AppsService, AppDirectory, BuiltImages, CreateLock, DeploymentHistory, DeploymentsService],
})
export class AppsModule {}
