import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MAX_HISTORY } from './deployment-history';

const ENVIRONMENT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENVIRONMENT_MESSAGE = 'must be an environment name (a DNS-1123 label)';

export class HistoryQuery {
  @ApiPropertyOptional({ description: "One environment's history; all of the app's environments without it" })
  @IsOptional()
  @Matches(ENVIRONMENT, { message: `environment ${ENVIRONMENT_MESSAGE}` })
  environment?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HISTORY, default: 20 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: `limit must be between 1 and ${MAX_HISTORY}` })
  @Max(MAX_HISTORY, { message: `limit must be between 1 and ${MAX_HISTORY}` })
  limit?: number;
}

export class PromotionBody {
  @ApiProperty({ description: 'The environment whose running image is promoted', example: 'dev' })
  @Matches(ENVIRONMENT, { message: `from ${ENVIRONMENT_MESSAGE}` })
  from!: string;

  @ApiProperty({ description: 'The environment it is deployed to', example: 'prod' })
  @Matches(ENVIRONMENT, { message: `to ${ENVIRONMENT_MESSAGE}` })
  to!: string;
}

export class RollbackBody {
  @ApiProperty({ description: 'The environment to roll back', example: 'prod' })
  @Matches(ENVIRONMENT, { message: `environment ${ENVIRONMENT_MESSAGE}` })
  environment!: string;

  @ApiProperty({
    description:
      'The deploy to go back to: its cd task id, or its manifests commit (at least 7 hex digits), from GET /apps/{app}/deployments',
    example: 'shop-cd-x7k2p',
  })
  @IsString({ message: 'to must be a cd task id or a manifests commit' })
  @Matches(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'to must be a cd task id or a manifests commit' })
  to!: string;
}
