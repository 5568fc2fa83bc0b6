import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** `../shared` beside the checkout (CI has it there); absent in a clone elsewhere. */
export const SHARED_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'shared');
export const hasShared = fs.existsSync(SHARED_DIR);

export function readFixture<T>(relative: string): T {
  return YAML.parse(fs.readFileSync(path.join(SHARED_DIR, 'fixtures', relative), 'utf8')) as T;
}
