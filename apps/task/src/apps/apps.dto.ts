import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { APP_NAME_MAX_LENGTH } from '@platform/domain';
import { IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { IsAppName, IsGitRef, IsImageTag } from './naming-validators';

const TEAM = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class AppParam {
  @IsAppName()
  app!: string;
}

export class CreateAppBody {
  @ApiProperty({
    description: `The app's name: a DNS-1123 label of at most ${APP_NAME_MAX_LENGTH} characters`,
    example: 'shop',
  })
  @IsAppName()
  name!: string;

  @ApiProperty({ description: 'The team that owns the app (you must be in it)', example: 'payments' })
  @Matches(TEAM, { message: 'team must be a team name (lowercase letters, digits and "-")' })
  team!: string;

  @ApiProperty({ description: 'An app template from GET /templates', example: 'node-service' })
  @IsString({ message: 'template must be the name of an app template (see GET /templates)' })
  template!: string;

  @ApiPropertyOptional({
    description: "Values of the template's parameters; left-out ones take their defaults",
    example: { port: 8080, greeting: 'hello' },
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  })
  @IsOptional()
  @IsObject({ message: 'parameters must be an object of parameter names to values' })
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'The environment of the first sync; the first configured one by default',
  })
  @IsOptional()
  @IsString({ message: 'environment must be an environment name' })
  environment?: string;
}

export class BuildBody {
  @ApiPropertyOptional({ description: 'Branch, tag or commit to build', default: 'main', example: 'main' })
  @IsOptional()
  @IsGitRef()
  ref?: string;
}

export class DeployBody {
  @ApiProperty({ description: 'Target environment (one of the configured ones)', example: 'dev' })
  @IsString({ message: 'environment must be an environment name' })
  environment!: string;

  @ApiProperty({
    description:
      "Tag of the app's image in the registry, <REGISTRY_HOST>/<team>/<app>:<tag> (a build result's image tag)",
    example: '3f2a9c1b7d4e',
  })
  @IsImageTag()
  tag!: string;
}
