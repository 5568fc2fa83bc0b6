import { Body, Controller, Delete, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Task } from '@platform/domain';
import { CurrentPrincipal, type Principal } from '@platform/service-runtime';
import type { FastifyReply } from 'fastify';
import { Audited } from '../audit/audited.decorator';
import {
  IDEMPOTENCY_DOC,
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKey,
  replied,
} from '../idempotency/idempotency-key';
import type { Accepted } from '../idempotency/idempotent-submissions';
import { TaskPresenter } from '../tasks/task-presenter';
import { AppParam, BuildBody, CreateAppBody, DeployBody } from './apps.dto';
import { AppsService } from './apps.service';

/** Each call starts a task (an Argo Workflow) and answers 202 with it and its Location. */
@ApiTags('apps')
@ApiBearerAuth()
@ApiHeader(IDEMPOTENCY_DOC)
@Controller('apps')
export class AppsController {
  constructor(
    private readonly apps: AppsService,
    private readonly presenter: TaskPresenter,
  ) {}

  @Post()
  @HttpCode(202)
  @Audited('app.create')
  @ApiOperation({ summary: 'Create an app from a template: repos, Argo CD application, first sync' })
  @ApiAcceptedResponse({ description: 'The create task' })
  async create(
    @Body() body: CreateAppBody,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    return this.accepted(reply, await this.apps.create(body, principal, idempotencyKey(key)));
  }

  @Post(':app/builds')
  @HttpCode(202)
  @Audited('app.build')
  @ApiOperation({ summary: "Build the app's source at a ref and push the image" })
  @ApiAcceptedResponse({ description: 'The ci task' })
  async build(
    @Param() { app }: AppParam,
    @Body() body: BuildBody,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    return this.accepted(reply, await this.apps.build(app, body, principal, idempotencyKey(key)));
  }

  @Post(':app/deployments')
  @HttpCode(202)
  @Audited('app.deploy')
  @ApiOperation({ summary: 'Deploy a built image to an environment and sync it' })
  @ApiAcceptedResponse({ description: 'The cd task' })
  async deploy(
    @Param() { app }: AppParam,
    @Body() body: DeployBody,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    return this.accepted(reply, await this.apps.deploy(app, body, principal, idempotencyKey(key)));
  }

  @Delete(':app')
  @HttpCode(202)
  @Audited('app.retire')
  @ApiOperation({
    summary:
      'Retire an app: delete its Argo CD applications with their resources, archive its repositories under new names (images stay in the registry); the name is free once the task succeeds',
  })
  @ApiAcceptedResponse({ description: 'The delete task' })
  async retire(
    @Param() { app }: AppParam,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    return this.accepted(reply, await this.apps.retire(app, principal, idempotencyKey(key)));
  }

  private accepted(reply: FastifyReply, accepted: Accepted): Task {
    void reply.header('location', this.presenter.selfLink(accepted.task.id));
    return replied(reply, accepted);
  }
}
