import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/**
 * The promise this package makes to the domain model and the browser client: naming an upstream
 * object costs no code. Its built JavaScript requires nothing, and it depends on nothing.
 */
describe('@platform/upstream-types', () => {
  it('builds to JavaScript that requires nothing (turbo builds it before the tests)', () => {
    const js = fs.readdirSync(path.join(ROOT, 'dist')).filter((file) => file.endsWith('.js'));
    expect(js).toContain('index.js');
    for (const file of js)
      expect(fs.readFileSync(path.join(ROOT, 'dist', file), 'utf8')).not.toMatch(/require\(/);
  });

  it('has no dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});
