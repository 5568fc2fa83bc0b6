import { ApiPropertyOptional } from '@nestjs/swagger';
import { APP_NAME_MAX_LENGTH, TASK_PHASES } from '@platform/domain';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

export const HEALTH_STATUSES = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
] as const;
export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown'] as const;
/** A build or deploy phase; `None` is an app that never had one. */
export const LAST_TASK_PHASES = [...TASK_PHASES, 'None'] as const;
export const SORTS = ['name', 'activity'] as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class ListAppsQuery {
  @ApiPropertyOptional({ description: 'Only apps of this team' })
  @IsOptional()
  @Matches(DNS_LABEL, { message: 'team must be a team name (a DNS-1123 label)' })
  @MaxLength(63, { message: 'team must be at most 63 characters (a DNS-1123 label)' })
  team?: string;

  @ApiPropertyOptional({
    description:
      "Only apps deployed to this environment (an Argo CD Application of theirs deploys it); health, sync, deploy and the activity order then are that environment's",
    example: 'prod',
  })
  @IsOptional()
  @Matches(DNS_LABEL, { message: 'environment must be an environment name (a DNS-1123 label, e.g. prod)' })
  @MaxLength(63, { message: 'environment must be at most 63 characters (a DNS-1123 label)' })
  environment?: string;

  @ApiPropertyOptional({ enum: HEALTH_STATUSES, description: "The app's worst health, or the environment's" })
  @IsOptional()
  @IsIn(HEALTH_STATUSES, { message: `health must be one of ${HEALTH_STATUSES.join(', ')}` })
  health?: string;

  @ApiPropertyOptional({ enum: SYNC_STATUSES, description: "The app's worst sync, or the environment's" })
  @IsOptional()
  @IsIn(SYNC_STATUSES, { message: `sync must be one of ${SYNC_STATUSES.join(', ')}` })
  sync?: string;

  @ApiPropertyOptional({ enum: LAST_TASK_PHASES, description: 'Phase of the last build' })
  @IsOptional()
  @IsIn(LAST_TASK_PHASES, { message: `build must be one of ${LAST_TASK_PHASES.join(', ')}` })
  build?: string;

  @ApiPropertyOptional({
    enum: LAST_TASK_PHASES,
    description: 'Phase of the last deploy (to the environment, when one is given)',
  })
  @IsOptional()
  @IsIn(LAST_TASK_PHASES, { message: `deploy must be one of ${LAST_TASK_PHASES.join(', ')}` })
  deploy?: string;

  @ApiPropertyOptional({ description: 'Apps whose name starts with this' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,63}$/, { message: 'q must be the start of an app name (a-z, 0-9, -)' })
  q?: string;

  @ApiPropertyOptional({
    enum: SORTS,
    default: 'name',
    description: "name (A-Z) or activity (newest first; the environment's activity when one is given)",
  })
  @IsOptional()
  @IsIn(SORTS, { message: `sort must be one of ${SORTS.join(', ')}` })
  sort?: (typeof SORTS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 200' })
  @Max(200, { message: 'limit must be between 1 and 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (same filters and sort)' })
  @IsOptional()
  @MaxLength(400, { message: 'cursor must be the nextCursor of a previous page' })
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class AppParam {
  @Matches(DNS_LABEL, { message: 'app must be an app name (a DNS-1123 label)' })
  @MaxLength(APP_NAME_MAX_LENGTH, { message: `app must be at most ${APP_NAME_MAX_LENGTH} characters` })
  app!: string;
}
