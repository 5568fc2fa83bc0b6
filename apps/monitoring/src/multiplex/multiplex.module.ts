import { Module } from '@nestjs/common';

/** One connection carrying several topics for several apps. */
@Module({})
export class MultiplexModule {}
