import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@platform/errors';
import { TaskConfig } from '../config/task-config';
import type { AppTemplate } from '@platform/domain';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(private readonly config: TaskConfig) {}

  @Get()
  @ApiOperation({ summary: 'The app templates that can be used, with their parameters' })
  list(): { items: readonly AppTemplate[] } {
    return { items: this.config.catalog.templates };
  }

  @Get(':name')
  @ApiOperation({ summary: 'One app template' })
  get(@Param('name') name: string): AppTemplate {
    const template = this.config.catalog.find(name);
    if (template === undefined) {
      throw new NotFoundError(
        'TEMPLATE_NOT_FOUND',
        `template "${name}" not found; available: ${this.config.catalog.names.join(', ')}`,
        { template: name },
      );
    }
    return template;
  }
}
