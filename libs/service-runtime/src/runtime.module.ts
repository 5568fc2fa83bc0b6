import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type Type,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import { Authenticator } from './auth/authenticator';
import { JwtVerifier } from './auth/jwt-verifier';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { RuntimeConfig } from './config/service-env';
import { HealthController } from './health/health.controller';
import { ReadinessIndicators, type ReadinessIndicator } from './health/readiness-indicator';
import { GlobalExceptionFilter } from './http/global-exception.filter';
import { createValidationPipe } from './http/validation.pipe';
import { loggerOptions } from './logging/logger-options';
import { RequestContextMiddleware } from './logging/request-context.middleware';
import { LoadState } from './limits/load-state';
import { StreamQuota } from './limits/stream-quota';
import { HttpMetrics } from './metrics/http-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { ShutdownCoordinator } from './shutdown/shutdown-coordinator';
import { LongPolls } from './long-poll/long-polls';
import { SseStreams } from './sse/sse-streams';
import { StreamTickets } from './stream-tickets/stream-tickets';
import { StreamTicketsController } from './stream-tickets/stream-tickets.controller';

export interface RuntimeModuleOptions {
  config: RuntimeConfig;
  /** What must answer for the service to be ready (Redis, upstreams). */
  readiness?: Array<Type<ReadinessIndicator>>;
  /** Where JSON logs go; stdout unless a test captures them. */
  logDestination?: NodeJS.WritableStream;
  /**
   * How the service keeps stream tickets (`POST <prefix>/stream-tickets`, redeemed as `?ticket=`
   * on its stream routes): a class to instantiate (e.g. RedisStreamTickets) or an instance.
   * Without it the service issues none.
   */
  streamTickets?: Type<StreamTickets> | StreamTickets;
}

/**
 * Everything a service gets for free: JSON logs with request ids, the error envelope, validation,
 * health, metrics, SSE stream tracking, the per-user stream quota, the load state and the drain
 * state used by graceful shutdown.
 */
@Module({})
export class RuntimeModule implements NestModule {
  static forRoot(options: RuntimeModuleOptions): DynamicModule {
    const readiness = options.readiness ?? [];
    const tickets = options.streamTickets;
    return {
      module: RuntimeModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerOptions(options.config, options.logDestination)),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        // createServiceApp reads every route's decorators through it (stampRoutePolicies).
        DiscoveryModule,
      ],
      controllers: [
        HealthController,
        MetricsController,
        ...(tickets === undefined ? [] : [StreamTicketsController]),
      ],
      providers: [
        { provide: RuntimeConfig, useValue: options.config },
        { provide: HttpMetrics, useFactory: () => new HttpMetrics(options.config.serviceName) },
        ShutdownCoordinator,
        SseStreams,
        LongPolls,
        StreamQuota,
        LoadState,
        // Provided here so their own dependencies resolve from global modules (e.g. Redis).
        ...readiness,
        {
          provide: ReadinessIndicators,
          useFactory: (...indicators: ReadinessIndicator[]) => new ReadinessIndicators(indicators),
          inject: readiness,
        },
        { provide: JwtVerifier, useFactory: () => new JwtVerifier(options.config.auth) },
        Authenticator,
        ...(tickets === undefined
          ? []
          : [
              tickets instanceof StreamTickets
                ? { provide: StreamTickets, useValue: tickets }
                : { provide: StreamTickets, useClass: tickets },
            ]),
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [
        RuntimeConfig,
        HttpMetrics,
        ShutdownCoordinator,
        SseStreams,
        LongPolls,
        StreamQuota,
        LoadState,
        JwtVerifier,
        Authenticator,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
