import { Global, Module } from '@nestjs/common';
import { AppAccess } from '../access/app-access';
import { TopicHub } from './topic-hub';
import { TopicStreams } from './topic-streams';

/** The shared topics and the SSE plumbing every stream controller serves them with. */
@Global()
@Module({
  providers: [TopicHub, TopicStreams, AppAccess],
  exports: [TopicHub, TopicStreams, AppAccess],
})
export class StreamsModule {}
