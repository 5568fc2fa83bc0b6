import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { AppStreamQuery } from '../access/app-stream-query';

export class EventsQuery extends AppStreamQuery {
  @ApiPropertyOptional({
    description: 'false: return the newest events as JSON instead of a stream',
    default: true,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'follow must be true or false' })
  follow?: boolean;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 500,
    default: 50,
    description: 'How many events (follow=false)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 500' })
  @Max(500, { message: 'limit must be between 1 and 500' })
  limit?: number;
}
