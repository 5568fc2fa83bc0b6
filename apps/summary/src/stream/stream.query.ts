import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** Query parameters of `/stream`, for a browser's EventSource, which cannot set headers. */
export class SummaryStreamQuery {
  @ApiPropertyOptional({ description: 'The bearer token (EventSource cannot send headers)' })
  @IsOptional()
  @IsString()
  access_token?: string;

  @ApiPropertyOptional({
    description:
      'Resume after this event id, as the Last-Event-ID header does (e.g. kept across a page reload); the header wins when both are sent',
  })
  @IsOptional()
  @IsString()
  lastEventId?: string;
}
