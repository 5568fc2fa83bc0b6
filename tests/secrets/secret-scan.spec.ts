import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanRun } from './global-teardown';
import { scanText, secretForms } from './secret-scan';

const SECRET = { label: 'git token', value: 'gT0k3n-$ecret/42+x' };
const line = (source: string, text: string): string => `${JSON.stringify({ source, text })}\n`;

describe('the secrets scan', () => {
  it.each(secretForms(SECRET.value))('finds a secret written $form', ({ form, text }) => {
    const content = line('task', 'starting') + line('task', `calling git with ${text} now`);
    expect(scanText('f', content, [SECRET])).toEqual([
      { file: 'f', line: 2, source: 'task', secret: 'git token', form },
    ]);
  });

  it('finds nothing in lines without the secret, and ignores values too short to tell', () => {
    const content = line('sandbox', 'registry.sandbox.local is up') + line('task', 'gT0k3n- is not it');
    expect(scanText('f', content, [SECRET, { label: 'short', value: 'sandbox' }])).toEqual([]);
  });

  describe('over a run folder', () => {
    const run = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-scan-spec-'));
    const write = (dir: string, stem: string, logs: string, bodies: string, manifest?: object): void => {
      fs.writeFileSync(path.join(dir, `${stem}.logs.ndjson`), logs);
      fs.writeFileSync(path.join(dir, `${stem}.bodies.ndjson`), bodies);
      fs.writeFileSync(path.join(dir, `${stem}.secrets.json`), JSON.stringify([SECRET]));
      if (manifest !== undefined)
        fs.writeFileSync(path.join(dir, `${stem}.manifest.json`), JSON.stringify(manifest));
    };

    it('scans every recording for every suite’s secrets and counts what it read', () => {
      const dir = run();
      write(dir, 'a', line('task', 'ok'), line('body', '{}'), {
        suite: 'a',
        logLines: 1,
        bodies: 1,
        secrets: 1,
      });
      write(dir, 'b', line('pod', `token=${SECRET.value}`), line('body', '{}'), {
        suite: 'b',
        logLines: 1,
        bodies: 1,
        secrets: 1,
      });
      const result = scanRun(dir);
      expect(result).toMatchObject({ suites: ['a', 'b'], logLines: 2, bodies: 2, secrets: 1, problems: [] });
      expect(result?.findings).toEqual([
        expect.objectContaining({ source: 'pod', secret: 'git token', form: 'plain' }),
      ]);
    });

    it('reports a recording that was never closed, or holds less than its manifest counted, or nothing', () => {
      const dir = run();
      write(dir, 'open', line('task', 'ok'), '');
      write(dir, 'short', line('task', 'ok'), line('body', '{}'), {
        suite: 'short',
        logLines: 5,
        bodies: 1,
        secrets: 1,
      });
      write(dir, 'empty', '', '', { suite: 'empty', logLines: 0, bodies: 0, secrets: 1 });
      const problems = scanRun(dir)?.problems ?? [];
      expect(problems).toEqual([
        expect.stringContaining('recording open has no manifest'),
        expect.stringContaining('recording empty (empty) is empty'),
        expect.stringContaining(
          'recording short holds 1 log lines and 1 bodies, its manifest counted 5 and 1',
        ),
      ]);
    });

    it('has nothing to scan when no suite recorded', () => {
      expect(scanRun(run())).toBeUndefined();
    });
  });
});
