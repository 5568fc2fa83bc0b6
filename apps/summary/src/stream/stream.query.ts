import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * Query parameters of `/stream`, for a browser's EventSource, which cannot set headers (its
 * credential, `ticket` or `access_token`, is taken by the auth guard of a `@StreamRoute()`).
 */
export class SummaryStreamQuery {
  @ApiPropertyOptional({
    description:
      'Resume after this event id, as the Last-Event-ID header does (e.g. kept across a page reload); the header wins when both are sent',
  })
  @IsOptional()
  @IsString()
  lastEventId?: string;
}
