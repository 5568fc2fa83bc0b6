import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** Counts by health, sync and build/deploy phase, per team. */
@Module({ imports: [StoreModule], controllers: [StatsController], providers: [StatsService] })
export class StatsModule {}
