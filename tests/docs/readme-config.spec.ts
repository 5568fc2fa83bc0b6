import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../deploy/rendered';
import { envKeys, SERVICES } from '../deploy/services';

/** The README's configuration table, by key: the services it names. */
function configTable(): Map<string, string> {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)) {
    rows.set(match[1] ?? '', match[2] ?? '');
  }
  return rows;
}

describe("README's configuration table", () => {
  it.each(SERVICES)('lists every environment key of $name, for that service', (service) => {
    const table = configTable();
    const missing = envKeys(service)
      .map((k) => k.key)
      .filter(
        (key) =>
          !(table.get(key) ?? '')
            .split(',')
            .map((s) => s.trim())
            .includes(service.name),
      );
    expect(missing).toEqual([]);
  });
});
