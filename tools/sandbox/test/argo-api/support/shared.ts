import { existsSync } from 'node:fs';
import path from 'node:path';

/** `../shared` beside the checkout (specs and real objects; never copied into the repo). */
export const SHARED_DIR = path.resolve(__dirname, '../../../../..', '..', 'shared');

/** `describe`, or a skip announced in one line when `../shared` is absent. */
export function describeWithShared(name: string, body: () => void): void {
  const present = existsSync(SHARED_DIR);
  if (!present) console.log(`${name}: skipped: ../shared not found`);
  (present ? describe : describe.skip)(name, body);
}
