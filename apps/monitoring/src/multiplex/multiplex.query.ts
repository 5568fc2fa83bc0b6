import { ApiProperty } from '@nestjs/swagger';
import { StreamQuery } from '@platform/service-runtime';
import { IsOptional } from 'class-validator';
import { TOPIC_KINDS } from './topics';

export class MultiplexQuery extends StreamQuery {
  @ApiProperty({
    type: String,
    description: `Comma-separated <kind>:<name>, kind one of ${TOPIC_KINDS.join(', ')}`,
    example: 'status:shop,events:shop,logs:shop@prod',
  })
  // Checked by parseTopics, which names every bad entry at once.
  @IsOptional()
  topics?: unknown;
}
