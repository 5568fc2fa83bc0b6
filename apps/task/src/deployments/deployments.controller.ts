import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Deployment, Task } from '@platform/domain';
import { CurrentPrincipal, type Principal } from '@platform/service-runtime';
import type { FastifyReply } from 'fastify';
import { AppParam } from '../apps/apps.dto';
import { Audited } from '../audit/audited.decorator';
import {
  IDEMPOTENCY_DOC,
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKey,
  replied,
} from '../idempotency/idempotency-key';
import { TaskPresenter } from '../tasks/task-presenter';
import { HistoryQuery, PromotionBody, RollbackBody } from './deployments.dto';
import { DeploymentsService } from './deployments.service';

const DEFAULT_LIMIT = 20;

/** An app's environments over time: what was deployed, promotions and rollbacks (cd tasks). */
@ApiTags('apps')
@ApiBearerAuth()
@ApiHeader(IDEMPOTENCY_DOC)
@Controller('apps')
export class DeploymentsController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly presenter: TaskPresenter,
  ) {}

  @Get(':app/deployments')
  @ApiOperation({
    summary: "The app's deployment history from its manifests repository: image, digest, commit, who, when",
  })
  async history(
    @Param() { app }: AppParam,
    @Query() query: HistoryQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: Deployment[] }> {
    return {
      items: await this.deployments.list(app, principal, query.environment, query.limit ?? DEFAULT_LIMIT),
    };
  }

  @Post(':app/promotions')
  @HttpCode(202)
  @Audited('app.promote')
  @ApiOperation({ summary: 'Deploy to one environment exactly the image (by digest) another one runs' })
  @ApiAcceptedResponse({ description: 'The cd task' })
  async promote(
    @Param() { app }: AppParam,
    @Body() body: PromotionBody,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    const accepted = await this.deployments.promote(app, body, principal, idempotencyKey(key));
    void reply.header('location', this.presenter.selfLink(accepted.task.id));
    return replied(reply, accepted);
  }

  @Post(':app/rollbacks')
  @HttpCode(202)
  @Audited('app.rollback')
  @ApiOperation({
    summary: "Restore an earlier deploy's image in a new manifests commit, then sync (GitOps)",
  })
  @ApiAcceptedResponse({ description: 'The cd task' })
  async rollback(
    @Param() { app }: AppParam,
    @Body() body: RollbackBody,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    const accepted = await this.deployments.rollback(app, body, principal, idempotencyKey(key));
    void reply.header('location', this.presenter.selfLink(accepted.task.id));
    return replied(reply, accepted);
  }
}
