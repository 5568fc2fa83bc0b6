import { Module } from '@nestjs/common';

/** Counts by health, sync and build/deploy phase, per team. */
@Module({})
export class StatsModule {}
