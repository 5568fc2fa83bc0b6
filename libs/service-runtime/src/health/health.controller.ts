import { Public } from '../auth/public.decorator';
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { LoadState } from '../limits/load-state';
import { ShutdownCoordinator } from '../shutdown/shutdown-coordinator';
import { READINESS_CHECK_TIMEOUT_MS, withTimeout } from './check-timeout';
import { ReadinessIndicators, type ReadinessIndicator } from './readiness-indicator';

/**
 * Kubernetes probes: live = the process answers; ready = its dependencies answer and it is neither
 * draining nor overloaded (then the load balancer sends requests to the other replicas).
 */
@ApiTags('health')
@Public()
@Controller('healthz')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessIndicators,
    private readonly shutdown: ShutdownCoordinator,
    private readonly load: LoadState,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult | string | object> {
    try {
      return await this.health.check([
        () => this.processCheck(),
        ...this.readiness.all.map((indicator) => () => this.runCheck(indicator)),
      ]);
    } catch (error) {
      // Terminus reports "down" as a 503 exception; keep its informative body for operators.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }

  private processCheck(): HealthIndicatorResult {
    const check = this.indicators.check('process');
    if (this.shutdown.draining) return check.down({ message: 'shutting down' });
    const overload = this.load.overload();
    return overload === undefined ? check.up() : check.down({ message: `overloaded: ${overload}` });
  }

  private async runCheck(indicator: ReadinessIndicator): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(indicator.name);
    try {
      await withTimeout(indicator.check(), READINESS_CHECK_TIMEOUT_MS);
      return check.up();
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
