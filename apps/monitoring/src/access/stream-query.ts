import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * Query parameters every stream accepts, because a browser's EventSource cannot set headers (the
 * credentials, `ticket` and `access_token`, are taken by the auth guard of a `@StreamRoute()`).
 */
export class StreamQuery {
  @ApiPropertyOptional({ description: 'Resume after this event id (as the Last-Event-ID header does)' })
  @IsOptional()
  @IsString()
  lastEventId?: string;
}
