import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { AppStreamQuery } from '../access/app-stream-query';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

export const MAX_TAIL = 1000;

export class LogsQuery extends AppStreamQuery {
  @ApiPropertyOptional({ description: 'Only this container of each pod' })
  @IsOptional()
  @Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message: 'container must be a container name (a DNS-1123 label)',
  })
  container?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_TAIL,
    default: 100,
    description: 'Lines of history to start with',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'tail must be an integer' })
  @Min(0, { message: `tail must be between 0 and ${MAX_TAIL}` })
  @Max(MAX_TAIL, { message: `tail must be between 0 and ${MAX_TAIL}` })
  tail?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Only history younger than this many seconds' })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'since must be a number of seconds' })
  @Min(1, { message: 'since must be at least 1 (seconds)' })
  since?: number;

  @ApiPropertyOptional({
    default: true,
    description: 'false: return the last lines as JSON instead of a stream',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'follow must be true or false' })
  follow?: boolean;
}
