import { ConfigValidationError } from '../config/config-validation.error';

/**
 * The body of every service's main.ts: runs `start`, and turns a bad configuration into one
 * readable JSON log line naming every bad key and exit code 78 (EX_CONFIG) instead of a stack.
 */
export function startFromEnv(serviceName: string, start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    const configProblems = error instanceof ConfigValidationError ? error.problems : undefined;
    const line = {
      level: 'fatal',
      time: new Date().toISOString(),
      service: serviceName,
      message: error instanceof Error ? error.message : String(error),
      ...(configProblems ? { invalidKeys: configProblems } : { stack: (error as Error).stack }),
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(configProblems ? 78 : 1);
  });
}
