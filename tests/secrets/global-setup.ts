import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RUN_DIR_ENV } from './run-record';

/**
 * Jest's globalSetup for the repo's suites: a fresh folder for this run's recordings. The workers
 * jest starts after it inherit the variable, so every test file records into the same folder.
 */
export default function globalSetup(): void {
  process.env[RUN_DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-api-test-run-'));
}
