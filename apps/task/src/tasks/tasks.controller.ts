import { Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { ListTasksQuery, TaskIdParam } from './tasks.dto';
import { TasksService, type TaskPage } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Tasks, newest first, filtered by app, type and phase; cursor-paged' })
  list(@Query() query: ListTasksQuery, @CurrentPrincipal() principal: Principal): Promise<TaskPage> {
    return this.tasks.list(query, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One task: what it is doing and, once ended, what it produced' })
  get(@Param() { id }: TaskIdParam, @CurrentPrincipal() principal: Principal): Promise<Task> {
    return this.tasks.get(id, principal);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Audited('task.cancel')
  @ApiHeader(IDEMPOTENCY_DOC)
  @ApiOperation({ summary: 'Stop a running task (its workflow is terminated)' })
  async cancel(
    @Param() { id }: TaskIdParam,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    return replied(reply, await this.tasks.cancel(id, principal, idempotencyKey(key)));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Audited('task.approve')
  @ApiHeader(IDEMPOTENCY_DOC)
  @ApiOperation({
    summary: 'Approve a deploy waiting for it (a member of the approvers group, not its requester)',
  })
  async approve(
    @Param() { id }: TaskIdParam,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    return replied(reply, await this.tasks.approve(id, principal, idempotencyKey(key)));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Audited('task.reject')
  @ApiHeader(IDEMPOTENCY_DOC)
  @ApiOperation({ summary: 'Reject a deploy waiting for approval: nothing of it is deployed' })
  async reject(
    @Param() { id }: TaskIdParam,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    return replied(reply, await this.tasks.reject(id, principal, idempotencyKey(key)));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Audited('task.retry')
  @ApiHeader(IDEMPOTENCY_DOC)
  @ApiOperation({ summary: 'Run a failed task again from its failed steps' })
  async retry(
    @Param() { id }: TaskIdParam,
    @CurrentPrincipal() principal: Principal,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Task> {
    return replied(reply, await this.tasks.retry(id, principal, idempotencyKey(key)));
  }
}
