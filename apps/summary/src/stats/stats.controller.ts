import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@platform/service-runtime';
import type { SummaryStats } from '@platform/domain';
import { StatsService } from './stats.service';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Counts by health, sync and last build/deploy phase, per team and per environment, with the collector and the sources; platform admins only (403 ADMIN_ONLY otherwise)',
  })
  get(@CurrentPrincipal() principal: Principal): Promise<SummaryStats> {
    return this.stats.stats(principal);
  }
}
