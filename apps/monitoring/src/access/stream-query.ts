import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** Query parameters every stream accepts, because a browser's EventSource cannot set headers. */
export class StreamQuery {
  @ApiPropertyOptional({ description: 'The bearer token, for EventSource (which cannot send headers)' })
  @IsOptional()
  @IsString()
  access_token?: string;

  @ApiPropertyOptional({ description: 'Resume after this event id (as the Last-Event-ID header does)' })
  @IsOptional()
  @IsString()
  lastEventId?: string;
}
