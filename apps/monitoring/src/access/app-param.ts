import { Matches } from 'class-validator';

export const APP_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class AppParam {
  @Matches(APP_NAME, { message: 'app must be an app name (a DNS-1123 label)' })
  app!: string;
}
