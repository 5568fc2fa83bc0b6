import { Module } from '@nestjs/common';

/** App templates and their parameter catalog (`GET /templates`). */
@Module({})
export class TemplatesModule {}
