import { ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_PHASES, TASK_TYPES, type TaskPhase, type TaskType } from '@platform/domain';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsAppName } from '../apps/naming-validators';

export class ListTasksQuery {
  @ApiPropertyOptional({ description: 'Only tasks of this app' })
  @IsOptional()
  // An app name's own rule, length included: the value goes into a label selector, which holds
  // values of at most 63 characters (a longer one was a 500 from the selector builder).
  @IsAppName()
  app?: string;

  @ApiPropertyOptional({ enum: TASK_TYPES })
  @IsOptional()
  @IsIn(TASK_TYPES, { message: `type must be one of ${TASK_TYPES.join(', ')}` })
  type?: TaskType;

  @ApiPropertyOptional({ enum: TASK_PHASES })
  @IsOptional()
  @IsIn(TASK_PHASES, { message: `phase must be one of ${TASK_PHASES.join(', ')}` })
  phase?: TaskPhase;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 100' })
  @Max(100, { message: 'limit must be between 1 and 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class TaskIdParam {
  @Matches(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'id must be a task id (a workflow name)' })
  id!: string;
}
