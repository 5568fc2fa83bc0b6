import type { KubeObject } from '../../../core/kube-object';
import { humanDuration } from './human-duration';
import { podRow } from './pod-printer';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function pod(status: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    metadata: { name: 'web', creationTimestamp: '2024-05-01T11:55:00Z' },
    spec: { containers: [{ name: 'main' }] },
    status,
    ...extra,
  };
}

describe(podRow.name, () => {
  it.each([
    [
      'running and ready',
      pod({ phase: 'Running', containerStatuses: [{ name: 'main', ready: true, state: { running: {} } }] }),
      ['web', '1/1', 'Running', '0', '5m'],
    ],
    [
      'waiting: the reason wins over the phase',
      pod({
        phase: 'Pending',
        containerStatuses: [
          { name: 'main', ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } },
        ],
      }),
      ['web', '0/1', 'ImagePullBackOff', '0', '5m'],
    ],
    [
      'crash looping: restarts with the age of the last one',
      pod({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'main',
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:59:20Z' } },
          },
        ],
      }),
      ['web', '0/1', 'CrashLoopBackOff', '3 (40s ago)', '5m'],
    ],
    [
      'an init container still running',
      pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { running: {} } }] },
        { spec: { containers: [{ name: 'main' }], initContainers: [{ name: 'init' }] } },
      ),
      ['web', '0/1', 'Init:0/1', '0', '5m'],
    ],
    [
      'being deleted',
      pod(
        { phase: 'Running', containerStatuses: [{ name: 'main', ready: true, state: { running: {} } }] },
        {
          metadata: {
            name: 'web',
            creationTimestamp: '2024-05-01T11:55:00Z',
            deletionTimestamp: '2024-05-01T12:00:00Z',
          },
        },
      ),
      ['web', '1/1', 'Terminating', '0', '5m'],
    ],
    [
      'finished',
      pod({
        phase: 'Succeeded',
        containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      }),
      ['web', '0/1', 'Completed', '0', '5m'],
    ],
  ])('%s', (_, object, cells) => {
    expect(podRow(object, NOW).cells.slice(0, 5)).toEqual(cells);
  });
});

describe(humanDuration.name, () => {
  it.each([
    [-5_000, '<invalid>'],
    [-500, '0s'],
    [119_000, '119s'],
    [125_000, '2m5s'],
    [600_000, '10m'],
    [3 * 3_600_000 + 60_000, '3h1m'],
    [30 * 3_600_000, '30h'],
    [50 * 3_600_000, '2d2h'],
    [400 * 86_400_000, '400d'],
    [3 * 365 * 86_400_000 + 86_400_000, '3y1d'],
  ])('%d ms is %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
});
