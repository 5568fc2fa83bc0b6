import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, SseStreams, StreamQuota } from '@platform/service-runtime';
import type { MonitoringConfig } from '../config/monitoring-config';
import type { TopicHub } from './topic-hub';
import { TopicStreams } from './topic-streams';
import type { UserTopics } from './user-topics';

/** A collaborator that fails the test if the stream touches it at all. */
function untouchable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      throw new Error(`${name}.${String(property)} used`);
    },
  });
}

describe(TopicStreams.name, () => {
  it('starts nothing for a request already answered while its access was checked (its clock ran out)', async () => {
    const streams = new TopicStreams(
      untouchable<TopicHub>('hub'),
      untouchable<SseStreams>('sse'),
      untouchable<MonitoringConfig>('config'),
      untouchable<StreamQuota>('quota'),
      untouchable<UserTopics>('userTopics'),
    );
    let hijacked = false;
    const reply = {
      sent: true,
      hijack: () => {
        hijacked = true;
      },
    } as unknown as FastifyReply;
    const request = { headers: {}, query: {} } as unknown as FastifyRequest;
    await streams.serve(request, reply, {} as Principal, [], { multiplexed: false });
    expect(hijacked).toBe(false);
  });
});
