import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { StreamQuery } from '@platform/service-runtime';
import { IsOptional, Matches } from 'class-validator';

/** The `environment` query parameter of an app's routes: which of its Applications. */
function EnvironmentParameter(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: "The app's environment; without it, the environment the app was created in",
      example: 'prod',
    }),
    IsOptional(),
    Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
      message: 'environment must be an environment name (a DNS-1123 label)',
    }),
  );
}

/** The query of an app's one-off reads. */
export class AppQuery {
  @EnvironmentParameter()
  environment?: string;
}

/** The query of an app's streams: the stream's own parameters and the environment. */
export class AppStreamQuery extends StreamQuery {
  @EnvironmentParameter()
  environment?: string;
}
