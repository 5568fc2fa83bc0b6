import fs from 'node:fs';
import path from 'node:path';

const DIST = path.resolve(__dirname, '..', 'dist');

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );
}

/**
 * What a portal bundles: the built package must load in a browser, so its JavaScript requires only
 * its own files (the `@platform/domain` types are type-only imports and vanish from the output).
 */
describe('the built package', () => {
  const js = files(DIST).filter((file) => file.endsWith('.js'));

  it('is built (turbo builds it before the tests)', () => {
    expect(js.map((file) => path.relative(DIST, file))).toEqual(expect.arrayContaining(['index.js']));
  });

  it('requires nothing but its own modules', () => {
    const external = js.flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/require\((["'`])([^"'`]+)\1\)/g)]
        .map((match) => match[2] ?? '')
        .filter((specifier) => !specifier.startsWith('./') && !specifier.startsWith('../'))
        .map((specifier) => `${path.relative(DIST, file)}: ${specifier}`),
    );
    expect(external).toEqual([]);
  });

  it('declares only @platform/domain (for its types) as a dependency', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['@platform/domain']);
  });

  it('pulls in no upstream client through the model (@platform/domain names upstream objects by their types only)', () => {
    const dependenciesOf = (dir: string): string[] =>
      Object.keys(
        (
          JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', dir, 'package.json'), 'utf8')) as {
            dependencies?: Record<string, string>;
          }
        ).dependencies ?? {},
      );
    expect(dependenciesOf('domain')).toEqual(['@platform/upstream-types']);
    expect(dependenciesOf('upstream-types')).toEqual([]);
  });
});
