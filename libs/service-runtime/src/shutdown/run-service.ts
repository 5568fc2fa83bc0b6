import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { RuntimeConfig } from '../config/service-env';
import { ShutdownCoordinator } from './shutdown-coordinator';

/**
 * Listens, then shuts down gracefully on SIGTERM/SIGINT: readiness goes false and open streams
 * get a closing event at once, the server keeps answering for the drain period (so the load
 * balancer notices), then closes; if that takes longer than the timeout the process exits anyway.
 * A second signal exits immediately.
 */
export async function runService(app: NestFastifyApplication, config: RuntimeConfig): Promise<void> {
  const logger = app.get(Logger);
  await app.listen({ port: config.port, host: config.host });
  logger.log(`${config.serviceName} listening on http://${config.host}:${config.port}${config.routePrefix}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: draining for ${config.shutdownDrainMs} ms, then closing`);
    app.get(ShutdownCoordinator).beginDraining();
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms: exiting`);
      process.exit(1);
    }, config.shutdownDrainMs + config.shutdownTimeoutMs);
    deadline.unref();
    void delay(config.shutdownDrainMs)
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(error, 'error while closing');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('unhandledRejection', (reason) => logger.error(reason, 'unhandled promise rejection'));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
