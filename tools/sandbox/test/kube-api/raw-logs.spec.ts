import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, eventually, type KubeHarness, podObject, raw, startKube } from './harness';
import { openStream } from './raw-stream';

const base = '/api/v1/namespaces/team-a/pods';

describe('Kubernetes API pod logs on the wire', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube();
    createNamespace(h.ctx, 'team-a');
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'web'));
    h.ctx.logs.append('team-a', 'web', 'main', 'one\ntwo\n', new Date('2024-05-01T10:00:00.120Z'));
    h.ctx.logs.append('team-a', 'web', 'main', 'three\n', new Date('2024-05-01T10:00:01.000Z'));
  });
  afterEach(() => h.close());

  test('answers raw text/plain bytes; tailLines, timestamps and limitBytes shape them', async () => {
    const all = await raw(`${h.url}${base}/web/log`);
    expect(all).toMatchObject({ status: 200, contentType: 'text/plain', text: 'one\ntwo\nthree\n' });
    expect((await raw(`${h.url}${base}/web/log?container=main&tailLines=2`)).text).toBe('two\nthree\n');
    // The kubelet's RFC3339NanoFixed: always nine fractional digits.
    expect((await raw(`${h.url}${base}/web/log?timestamps=true&tailLines=3`)).text).toBe(
      '2024-05-01T10:00:00.120000000Z one\n2024-05-01T10:00:00.120000000Z two\n2024-05-01T10:00:01.000000000Z three\n',
    );
    expect((await raw(`${h.url}${base}/web/log?limitBytes=6`)).text).toBe('one\ntw');
  });

  test('sinceSeconds keeps only recent lines', async () => {
    h.ctx.logs.append('team-a', 'web', 'main', 'fresh\n');
    expect((await raw(`${h.url}${base}/web/log?sinceSeconds=60`)).text).toBe('fresh\n');
  });

  test('follow streams lines as they come and ends with the container', async () => {
    const stream = await openStream(`${h.url}${base}/web/log?follow=true&tailLines=1`);
    expect(stream.headers['content-type']).toBe('text/plain');
    await eventually(() => expect(stream.text()).toBe('three\n'));
    h.ctx.logs.append('team-a', 'web', 'main', 'four\n');
    await eventually(() => expect(stream.text()).toBe('three\nfour\n'));
    h.ctx.logs.end('team-a', 'web', 'main');
    await stream.ended;
    // The server learns that the TLS connection's response closed a moment after the client did.
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(0));
  });

  test.each([
    ['no such pod', 'ghost', '', 404, 'NotFound', 'pods "ghost" not found'],
    [
      'several containers, none named',
      'multi',
      '',
      400,
      'BadRequest',
      'a container name must be specified for pod multi, choose one of: [init main sidecar]',
    ],
    ['an unknown container', 'web', 'nope', 400, 'BadRequest', 'container nope is not valid for pod web'],
    [
      'a container still being created',
      'starting',
      '',
      400,
      'BadRequest',
      'container "main" in pod "starting" is waiting to start: ContainerCreating',
    ],
    [
      'an image that cannot be pulled',
      'unpullable',
      '',
      400,
      'BadRequest',
      'container "main" in pod "unpullable" is waiting to start: trying and failing to pull image',
    ],
  ])('%s is %d with the server message', async (_case, pod, container, code, reason, message) => {
    h.ctx.store.create(
      Kinds.Pod,
      podObject('team-a', 'multi', {
        spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'main' }, { name: 'sidecar' }] },
      }),
    );
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'starting', { status: { phase: 'Pending' } }));
    h.ctx.store.create(
      Kinds.Pod,
      podObject('team-a', 'unpullable', {
        status: {
          phase: 'Pending',
          containerStatuses: [{ name: 'main', state: { waiting: { reason: 'ImagePullBackOff' } } }],
        },
      }),
    );
    const response = await raw(
      `${h.url}${base}/${pod}/log${container === '' ? '' : `?container=${container}`}`,
    );
    expect(response.status).toBe(code);
    expect(response.contentType).toBe('application/json');
    expect(response.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason, message, code });
  });
});
