import { describe } from '@jest/globals';
import { redisServerInstalled } from './redis-server-process';

/**
 * A describe block that needs to start its own redis-server processes. Without redis-server on
 * the machine it says so in one line and is skipped; any other trouble fails it.
 */
export function describeWithRedisServer(title: string, suite: () => void): void {
  if (redisServerInstalled()) {
    describe(title, suite);
    return;
  }
  // Straight to stderr: jest drops console output of a file whose tests were all skipped.
  process.stderr.write(`${title}: skipped, redis-server is not installed\n`);
  describe.skip(title, suite);
}
