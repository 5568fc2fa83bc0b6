import { Global, Module } from '@nestjs/common';
import { AppAccess } from '../access/app-access';
import { TopicHub } from './topic-hub';
import { TopicPolls } from './topic-polls';
import { TopicResponder } from './topic-responder';
import { TopicStreams } from './topic-streams';
import { UserTopics } from './user-topics';

/** The shared topics and the SSE and long-poll plumbing every stream controller serves them with. */
@Global()
@Module({
  providers: [TopicHub, TopicStreams, TopicPolls, TopicResponder, AppAccess, UserTopics],
  exports: [TopicHub, TopicResponder, AppAccess],
})
export class StreamsModule {}
