import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Task } from '@platform/domain';
import { CurrentPrincipal, type Principal } from '@platform/service-runtime';
import { Audited } from '../audit/audited.decorator';
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
  @ApiOperation({ summary: 'Stop a running task (its workflow is terminated)' })
  cancel(@Param() { id }: TaskIdParam, @CurrentPrincipal() principal: Principal): Promise<Task> {
    return this.tasks.cancel(id, principal);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Audited('task.retry')
  @ApiOperation({ summary: 'Run a failed task again from its failed steps' })
  retry(@Param() { id }: TaskIdParam, @CurrentPrincipal() principal: Principal): Promise<Task> {
    return this.tasks.retry(id, principal);
  }
}
