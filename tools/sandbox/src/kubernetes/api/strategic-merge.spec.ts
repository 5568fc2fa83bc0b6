import { strategicMergePatch } from './strategic-merge';

describe(strategicMergePatch.name, () => {
  const pod = {
    metadata: { name: 'web', finalizers: ['a'] },
    spec: {
      containers: [
        {
          name: 'main',
          image: 'app:1',
          ports: [{ containerPort: 8080, name: 'http' }],
          env: [{ name: 'A', value: '1' }],
        },
        { name: 'sidecar', image: 'proxy:1' },
      ],
    },
  };

  it('merges lists of objects by their merge key and keeps what the patch does not name', () => {
    expect(
      strategicMergePatch(pod, {
        spec: {
          containers: [
            {
              name: 'main',
              env: [{ name: 'B', value: '2' }],
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
            },
          ],
        },
      }),
    ).toEqual({
      metadata: pod.metadata,
      spec: {
        containers: [
          {
            name: 'main',
            image: 'app:1',
            ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    });
  });

  it('applies kubectl apply directives: $patch delete, $setElementOrder, $deleteFromPrimitiveList', () => {
    const patched = strategicMergePatch(pod, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
      spec: {
        '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'main' }],
        containers: [{ name: 'main', env: [{ name: 'A', $patch: 'delete' }] }],
      },
    }) as {
      metadata: { finalizers: string[] };
      spec: { containers: Array<{ name: string; env?: unknown[] }> };
    };
    expect(patched.metadata.finalizers).toEqual([]);
    expect(patched.spec.containers.map((c) => c.name)).toEqual(['sidecar', 'main']);
    expect(patched.spec.containers[1]?.env).toEqual([]);
    expect(JSON.stringify(patched)).not.toContain('$');
  });

  it('replaces lists without a merge key, merges finalizers as a set, and honours $patch: replace on a map', () => {
    const patched = strategicMergePatch(
      { metadata: { finalizers: ['a'] }, spec: { args: ['x', 'y'], selector: { a: '1', b: '2' } } },
      {
        metadata: { finalizers: ['a', 'b'] },
        spec: { args: ['z'], selector: { $patch: 'replace', c: '3' } },
      },
    );
    expect(patched).toEqual({
      metadata: { finalizers: ['a', 'b'] },
      spec: { args: ['z'], selector: { c: '3' } },
    });
  });
});
