import path from 'node:path';
import { fromWorkingDirectory } from './cli-paths';

describe(fromWorkingDirectory.name, () => {
  const cwd = path.resolve('/checkout');

  it.each([
    ['deploy/templates/repos', path.join(cwd, 'deploy', 'templates', 'repos')],
    ['./deploy/argo', path.join(cwd, 'deploy', 'argo')],
    ['../elsewhere/team', path.resolve(cwd, '..', 'elsewhere', 'team')],
    [path.resolve('/data/sandbox'), path.resolve('/data/sandbox')],
  ])('reads %j from the working directory as %j', (given, expected) => {
    expect(fromWorkingDirectory(given, cwd)).toBe(expected);
  });

  it('leaves an option that was not given unset', () => {
    expect(fromWorkingDirectory(undefined, cwd)).toBeUndefined();
  });
});
