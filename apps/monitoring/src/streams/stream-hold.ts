import type { Principal, StreamQuota } from '@platform/service-runtime';
import type { StreamStart } from './stream-start';
import type { TopicRequest } from './topic-streams';
import type { TopicClaim, UserTopics } from './user-topics';

/** What a client holds while its stream is open: one of its user's slots, and its topics. */
export interface StreamHold {
  freeSlot(): void;
  topics: TopicClaim;
}

/**
 * One of the user's stream slots and their claim on the topics the client will watch (not those
 * it saw end), or TOO_MANY_STREAMS / TOO_MANY_TOPICS before anything opens.
 */
export function holdFor(
  principal: Principal,
  topics: readonly TopicRequest[],
  start: StreamStart,
  quota: StreamQuota,
  userTopics: UserTopics,
): StreamHold {
  const freeSlot = quota.take(principal);
  try {
    const keys = topics.filter((topic) => !start.hasEnded(topic.ref)).map((topic) => topic.key);
    return { freeSlot, topics: userTopics.claim(principal, keys) };
  } catch (error) {
    freeSlot();
    throw error;
  }
}
