import { ApiPropertyOptional } from '@nestjs/swagger';
import { StreamQuery } from '@platform/service-runtime';
import { IsOptional, Matches } from 'class-validator';

/** The query of an app's routes: which of its environments (one Argo CD Application each). */
export class AppStreamQuery extends StreamQuery {
  @ApiPropertyOptional({
    description: "The app's environment; without it, the environment the app was created in",
    example: 'prod',
  })
  @IsOptional()
  @Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message: 'environment must be an environment name (a DNS-1123 label)',
  })
  environment?: string;
}
