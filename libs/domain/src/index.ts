export { Labels, Annotations, ArgoLabels, PLATFORM_WORKFLOWS_SELECTOR, labelValue } from './labels';
export { labelEquals, labelIn } from './label-selector';
export {
  applicationName,
  appEnvironments,
  appTeam,
  environmentOf,
  environmentNamespace,
  environmentValueFiles,
  isApplicationOf,
  type AppEnvironment,
  type EnvironmentApplication,
} from './environments';
export * from './task';
export { APPROVAL_STEP, taskFromWorkflow, taskPhase, type TaskLinks } from './workflow-to-task';
export { workflowSteps, stepPhase } from './workflow-steps';
export {
  appNameProblem,
  gitRefProblem,
  imageTagProblem,
  APP_NAME_MAX_LENGTH,
  DNS_1123_LABEL,
  IMAGE_TAG,
} from './naming';
export * from './app-summary';
export type { AppStatus, AppEvent, PodLogLine, PodLogMembership, TaskLogLine } from './monitoring-views';
export {
  PARAMETER_TYPES,
  type ParameterType,
  type TemplateParameter,
  type AppTemplate,
} from './app-template';
export type { AppPage, EnvironmentCounts, SourceReport, SummaryStats, TeamCounts } from './summary-views';
export { DEPLOY_REASONS, type DeployReason, type Deployment } from './deployment';
