import { Labels } from './labels';

/**
 * One Argo CD Application per app and environment, named `<app>-<environment>` and labelled with
 * app, team and environment. Application names are global in Argo CD; the name alone is never
 * trusted to say which app it belongs to (`shop` in `dev-eu` and `shop-dev` in `eu` would share
 * one), so every lookup also checks the labels.
 */
export function applicationName(app: string, environment: string): string {
  return `${app}-${environment}`;
}

/** The namespace an app's environment deploys to: one per team and environment. */
export function environmentNamespace(team: string, environment: string): string {
  return `${team}-${environment}`;
}

/** The values files of an environment, in the order Helm layers them. */
export function environmentValueFiles(environment: string): string[] {
  return ['values.yaml', `values-${environment}.yaml`];
}

/** Whether an Application's labels say it is this app's Application for this environment. */
export function isApplicationOf(
  labels: Readonly<Record<string, string>> | undefined,
  app: string,
  environment?: string,
): boolean {
  if (labels?.[Labels.app] !== app) return false;
  return environment === undefined || labels[Labels.environment] === environment;
}
