import * as k8s from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, eventually, type KubeHarness, podObject, startKube } from './harness';
import { openStream } from './raw-stream';

const base = '/api/v1/namespaces/team-a/pods';
const at = (iso: string): Date => new Date(iso);

/**
 * What a log follower resuming after a line relies on, as a real API server and kubelet serve it:
 * every line stamped with nine fractional digits, and `sinceTime` cut to its whole second (the API
 * server forwards it as RFC 3339), so the resumed follow repeats that second's lines. Read over a
 * real socket both raw and through @kubernetes/client-node's Log, which must agree.
 */
describe('Kubernetes API pod log follow: resuming with sinceTime', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube();
    createNamespace(h.ctx, 'team-a');
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'web'));
    h.ctx.logs.append('team-a', 'web', 'main', 'early', at('2024-05-01T10:00:00.900Z'));
    h.ctx.logs.append('team-a', 'web', 'main', 'first', at('2024-05-01T10:00:01.100Z'));
    h.ctx.logs.append('team-a', 'web', 'main', 'second', at('2024-05-01T10:00:01.250Z'));
    h.ctx.logs.append('team-a', 'web', 'main', 'third', at('2024-05-01T10:00:02Z'));
  });
  afterEach(() => h.close());

  const resumed = [
    '2024-05-01T10:00:01.100000000Z first',
    '2024-05-01T10:00:01.250000000Z second',
    '2024-05-01T10:00:02.000000000Z third',
  ];

  test('raw: a sinceTime inside a second starts at that second, then follows new lines', async () => {
    const since = encodeURIComponent('2024-05-01T10:00:01.250000000Z');
    const stream = await openStream(`${h.url}${base}/web/log?follow=true&timestamps=true&sinceTime=${since}`);
    await eventually(() => expect(stream.lines()).toEqual(resumed));
    h.ctx.logs.append('team-a', 'web', 'main', 'fourth', at('2024-05-01T10:00:03.5Z'));
    await eventually(() =>
      expect(stream.lines()).toEqual([...resumed, '2024-05-01T10:00:03.500000000Z fourth']),
    );
    stream.close();
  });

  test("client-node's Log reads the same lines as the raw follow, and ends with the container", async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const finished = new Promise<void>((resolve) => output.on('end', resolve));
    await new k8s.Log(h.kc).log('team-a', 'web', 'main', output, {
      follow: true,
      timestamps: true,
      sinceTime: '2024-05-01T10:00:01.250000000Z',
    });
    await eventually(() => expect(text.split('\n').slice(0, -1)).toEqual(resumed));
    h.ctx.logs.append('team-a', 'web', 'main', 'fourth', at('2024-05-01T10:00:03.5Z'));
    await eventually(() => expect(text.endsWith('2024-05-01T10:00:03.500000000Z fourth\n')).toBe(true));
    expect(h.ctx.faults.openStreams('kube')).toHaveLength(1);
    h.ctx.logs.end('team-a', 'web', 'main');
    await finished;
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(0));
  });

  test('tailLines keeps the newest lines, stamped alike', async () => {
    const text = await h.core.readNamespacedPodLog({
      name: 'web',
      namespace: 'team-a',
      timestamps: true,
      tailLines: 1,
    });
    expect(text).toBe('2024-05-01T10:00:02.000000000Z third\n');
  });
});
