import { APP_NAME_MAX_LENGTH } from '@platform/domain';
import { Matches, MaxLength } from 'class-validator';

export const APP_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class AppParam {
  @Matches(APP_NAME, { message: 'app must be an app name (a DNS-1123 label)' })
  @MaxLength(APP_NAME_MAX_LENGTH, { message: `app must be at most ${APP_NAME_MAX_LENGTH} characters` })
  app!: string;
}
