import { Module } from '@nestjs/common';
import { TemplatesController } from './templates.controller';

/** App templates and their parameter catalog (`GET /templates`). */
@Module({ controllers: [TemplatesController] })
export class TemplatesModule {}
