import { Module } from '@nestjs/common';

/** AppSummary changes as a Server-Sent Event stream. */
@Module({})
export class StreamModule {}
