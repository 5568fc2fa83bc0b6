import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { Kinds } from '../../src/core/resource-kinds';
import { createNamespace, eventually, type KubeHarness, podObject, startKube } from './harness';

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('Kubernetes API through @kubernetes/client-node: pod logs and leases', () => {
  let h: KubeHarness;
  beforeEach(async () => {
    h = await startKube();
    createNamespace(h.ctx, 'team-a');
  });
  afterEach(() => h.close());

  test('follows a pod log: earlier lines, lines appended later, and the end when the container ends', async () => {
    h.ctx.store.create(Kinds.Pod, podObject('team-a', 'builder'));
    h.ctx.logs.append('team-a', 'builder', 'main', 'cloning\n');
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const finished = new Promise<void>((resolve) => output.on('end', resolve));

    await new k8s.Log(h.kc).log('team-a', 'builder', 'main', output, { follow: true });
    await eventually(() => expect(text).toBe('cloning\n'));
    h.ctx.logs.append('team-a', 'builder', 'main', 'building\npushing\n');
    await eventually(() => expect(text).toBe('cloning\nbuilding\npushing\n'));
    expect(h.ctx.faults.openStreams('kube')).toHaveLength(1);

    h.ctx.logs.end('team-a', 'builder', 'main');
    await finished;
    await eventually(() => expect(h.ctx.faults.openStreams('kube')).toHaveLength(0));
  });

  test('creates a Lease with MicroTime renewTime, renews it, and loses with 409 on a stale resourceVersion', async () => {
    const leases = h.kc.makeApiClient(k8s.CoordinationV1Api);
    const created = await leases.createNamespacedLease({
      namespace: 'team-a',
      body: {
        metadata: { name: 'summary-collector' },
        spec: {
          holderIdentity: 'replica-1',
          leaseDurationSeconds: 15,
          acquireTime: new k8s.V1MicroTime(),
          renewTime: new k8s.V1MicroTime(),
          leaseTransitions: 0,
        },
      },
    });
    expect(String(created.spec?.renewTime)).toMatch(MICRO_TIME);

    const read = await leases.readNamespacedLease({ namespace: 'team-a', name: 'summary-collector' });
    const renewed = await leases.replaceNamespacedLease({
      namespace: 'team-a',
      name: 'summary-collector',
      body: { ...read, spec: { ...read.spec, renewTime: new k8s.V1MicroTime() } },
    });
    expect(Number(renewed.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));

    // Another replica still holding the old version loses the race.
    const stale = leases.replaceNamespacedLease({
      namespace: 'team-a',
      name: 'summary-collector',
      body: {
        ...read,
        spec: { ...read.spec, holderIdentity: 'replica-2', renewTime: new k8s.V1MicroTime() },
      },
    });
    const error = await stale.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(k8s.ApiException);
    const apiError = error as k8s.ApiException<string>;
    expect(apiError.code).toBe(409);
    expect(JSON.parse(apiError.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on leases.coordination.k8s.io "summary-collector": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'summary-collector', group: 'coordination.k8s.io', kind: 'leases' },
      code: 409,
    });
  });

  test('refuses a Lease whose renewTime is a plain Date, as a real API server does', async () => {
    const leases = h.kc.makeApiClient(k8s.CoordinationV1Api);
    const error: unknown = await leases
      .createNamespacedLease({
        namespace: 'team-a',
        body: {
          metadata: { name: 'sloppy' },
          spec: { holderIdentity: 'x', renewTime: new Date() },
        },
      })
      .catch((e: unknown) => e);
    const apiError = error as k8s.ApiException<string>;
    expect(apiError.code).toBe(400);
    expect((JSON.parse(apiError.body) as { message: string }).message).toMatch(
      /^Lease in version "v1" cannot be handled as a Lease: parsing time ".*" as "2006-01-02T15:04:05.000000Z07:00"/,
    );
  });
});
