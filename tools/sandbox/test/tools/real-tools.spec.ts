import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { realTool } from '../../src/tools/real-tools';

describe(realTool.name, () => {
  it('extracts the packaged Helm v4 and kubectl 1.33 once and runs them', async () => {
    const helm = await realTool('helm');
    const kubectl = await realTool('kubectl');
    expect(execFileSync(helm, ['version', '--short'], { encoding: 'utf8' })).toMatch(/^v4\.\d+\.\d+/);
    expect(execFileSync(kubectl, ['version', '--client'], { encoding: 'utf8' })).toMatch(
      /Client Version: v1\.33\./,
    );
    // A second call in the same process reuses the extraction.
    expect(await realTool('helm')).toBe(helm);
    expect(statSync(helm).mode & 0o111).not.toBe(0);
  });

  it('extracts into PLATFORM_TOOLS_CACHE in a fresh process', () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'tools-cache-'));
    try {
      const script = `require(${JSON.stringify(require.resolve('../../dist/tools/real-tools'))}).realTool('helm').then((p) => console.log(p))`;
      const printed = execFileSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, PLATFORM_TOOLS_CACHE: cache },
      }).trim();
      expect(printed.startsWith(cache)).toBe(true);
      expect(execFileSync(printed, ['version', '--short'], { encoding: 'utf8' })).toMatch(/^v4\./);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
