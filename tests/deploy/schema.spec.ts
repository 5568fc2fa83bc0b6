import { describe, expect, it } from '@jest/globals';
import { idOf } from './kustomize';
import { validateObject } from './models';
import { renderDir } from './rendered';

describe.each(['base', 'overlays/dev', 'overlays/prod'])('%s', (dir) => {
  it('every object is valid against the Kubernetes schema of its kind (kubernetes-models)', () => {
    const problems: string[] = [];
    for (const object of renderDir(dir)) {
      try {
        validateObject(object);
      } catch (error) {
        problems.push(`${idOf(object)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

it('the schema check has teeth: a Deployment whose container has no image name fails it', () => {
  const broken = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'broken' },
    spec: { selector: {}, template: { spec: { containers: [{ image: 'x' }] } } },
  };
  expect(() => validateObject(broken)).toThrow(/name/);
  expect(() => validateObject({ apiVersion: 'example.com/v1', kind: 'Unknown' })).toThrow(/no schema/);
});
