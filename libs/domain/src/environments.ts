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

/** The parts of an Argo CD Application that say which app and environment it deploys. */
export interface EnvironmentApplication {
  metadata: { name?: string; labels?: Record<string, string> };
  spec?: {
    project?: string;
    source?: { helm?: { valueFiles?: string[] } };
    destination?: { namespace?: string };
  };
}

/** One environment of an app: its Application and the namespace that Application deploys to. */
export interface AppEnvironment {
  environment: string;
  application: string;
  namespace: string;
}

/**
 * The environment an Application deploys: its `platform-api/environment` label, or, for an app
 * created before there was one Application per environment (named like the app, unlabelled), the
 * environment of its `values-<env>.yaml` value file. Undefined when neither says.
 */
export function environmentOf(application: EnvironmentApplication): string | undefined {
  const labelled = application.metadata.labels?.[Labels.environment];
  if (labelled !== undefined && labelled !== '') return labelled;
  const files = application.spec?.source?.helm?.valueFiles ?? [];
  return files.flatMap((file) => /^values-(.+)\.yaml$/.exec(file)?.[1] ?? []).at(-1);
}

/** The environments of an app, one per Application of it that names its environment, by name. */
export function appEnvironments(
  app: string,
  applications: readonly EnvironmentApplication[],
): AppEnvironment[] {
  const found = new Map<string, AppEnvironment>();
  for (const application of applications) {
    if (!isApplicationOf(application.metadata.labels, app)) continue;
    const environment = environmentOf(application);
    if (environment === undefined || application.metadata.name === undefined) continue;
    // A labelled Application wins over an unlabelled one of the same environment.
    if (found.has(environment) && application.metadata.labels?.[Labels.environment] === undefined) continue;
    found.set(environment, {
      environment,
      application: application.metadata.name,
      namespace: application.spec?.destination?.namespace ?? '',
    });
  }
  return [...found.values()].sort((a, b) => a.environment.localeCompare(b.environment));
}

/**
 * The team owning an app's Applications, or undefined when there are none or they disagree:
 * every one must carry the team's label and sit in the team's AppProject (the project is what
 * Argo CD enforces), else one of another team would be acted on through this app's name.
 */
export function appTeam(applications: readonly EnvironmentApplication[]): string | undefined {
  const team = applications[0]?.metadata.labels?.[Labels.team];
  const agree = applications.every(
    (a) => a.metadata.labels?.[Labels.team] === team && a.spec?.project === team,
  );
  return agree ? team : undefined;
}
