// docs/walkthrough.md, run as a newcomer runs it: `npm start`, then every `sh` block of the page
// in order in one shell session, each one's output compared with the `text` block the page shows
// after it. The commands come from the page itself, so the page cannot drift from what works.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { realTool } from '@platform/sandbox';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../deploy/rendered';
import { destroyPlatform, startPlatform, STARTUP_MS, type Platform } from '../start/platform';
import { blocksOf, shownOutput, type Step } from './walkthrough-blocks';

const PAGE = path.join(REPO_ROOT, 'docs', 'walkthrough.md');
/** The address and run folder the page shows; the test's platform has its own. */
const SHOWN_URL = 'http://127.0.0.1:8080';
const SHOWN_ADMIN_URL = 'http://127.0.0.1:7104';
const SHOWN_RUN_DIR = '.run/';

describe('docs/walkthrough.md, run against npm start', () => {
  const { started, steps } = blocksOf(readFileSync(PAGE, 'utf8'));
  let platform: Platform;
  let state: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    platform = await startPlatform();
    state = path.join(platform.runDir, 'walkthrough.env');
    writeFileSync(state, '');
    const kubectl = await realTool('kubectl');
    env = {
      ...platform.env,
      TOKEN: platform.token,
      HOME: platform.runDir,
      PATH: `${path.dirname(kubectl)}${path.delimiter}${process.env.PATH ?? ''}`,
    };
  }, STARTUP_MS + 30_000);
  afterAll(() => destroyPlatform(platform));

  it('shows what npm start prints', () => {
    expect(started).toBeDefined();
    expect(platform.npm.stdout).toMatch(shownOutput(started ?? '', true));
  });

  it.each(steps.map((step, index) => ({ ...step, index: index + 1 })))(
    'step $index: $title',
    async (step: Step) => {
      const command = step.command
        .split(SHOWN_URL)
        .join(platform.gateway)
        .split(SHOWN_ADMIN_URL)
        .join(platform.admin)
        .split(SHOWN_RUN_DIR)
        .join(`${platform.runDir}/`);
      // One session: what a block sets (set -a exports it), the next one sees. No pipefail: a
      // stream cut short by `grep -m 1` ends curl with SIGPIPE, as in a terminal.
      const script = `set -a; . '${state}'; set -e\n${command}\nexport -p > '${state}'`;
      const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd: REPO_ROOT, env });
      if (step.output !== undefined) expect(stdout).toMatch(shownOutput(step.output));
    },
    180_000,
  );
});
