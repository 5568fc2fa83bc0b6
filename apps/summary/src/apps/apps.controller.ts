import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppSummary } from '@platform/domain';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '@platform/service-runtime';
import { AppParam, ListAppsQuery } from './apps.dto';
import { AppsService } from './apps.service';

@ApiTags('apps')
@ApiBearerAuth()
@Controller('apps')
export class AppsController {
  constructor(private readonly apps: AppsService) {}

  /** An {@link AppPage}, serialized by the service (see AppsService.list). */
  @Get()
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: "The app list: the caller's teams' apps, filtered, sorted, cursor-paged" })
  list(
    @Query() query: ListAppsQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    return this.apps.list(query, principal, reply.raw);
  }

  @Get(':app')
  @ApiOperation({
    summary: 'One app: last build and deploy, sync, health, pods, last warning, each of its environments',
  })
  get(@Param() { app }: AppParam, @CurrentPrincipal() principal: Principal): Promise<AppSummary> {
    return this.apps.get(app, principal);
  }
}
