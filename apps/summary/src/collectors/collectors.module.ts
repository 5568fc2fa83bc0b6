import { Module } from '@nestjs/common';

/** Leader-elected collectors that fold upstream watches into Redis. */
@Module({})
export class CollectorsModule {}
