import type { SandboxContext } from '../../core/sandbox-context';
import { ProjectRules } from '../shared/app-project';
import { appProject } from '../shared/app-projects';
import { validatePermissions } from '../shared/application-permissions';
import type { ApplicationObject } from '../shared/app-types';

/** The condition types the controller's spec check evaluates (and so also clears). */
export const SPEC_CONDITION_TYPES = ['InvalidSpecError', 'UnknownError'] as const;

export interface SpecProblem {
  type: (typeof SPEC_CONDITION_TYPES)[number];
  message: string;
}

/**
 * The application controller's `refreshAppConditions` (argoproj/argo-cd
 * `controller/appcontroller.go`): the app's project must exist (else InvalidSpecError
 * "Application referencing project <p> which does not exist") and accept the app's namespace,
 * and the spec must pass the project's rules ({@link validatePermissions}). With any problem the
 * controller compares nothing: sync and health turn Unknown until the spec or project is fixed.
 */
export function specProblems(ctx: SandboxContext, app: ApplicationObject): SpecProblem[] {
  const project = appProject(ctx, app);
  if (project instanceof ProjectRules) return validatePermissions(ctx, app.spec, project);
  if (project.kind === 'missing') {
    return [
      {
        type: 'InvalidSpecError',
        message: `Application referencing project ${app.spec.project ?? ''} which does not exist`,
      },
    ];
  }
  return [{ type: 'UnknownError', message: project.message }];
}
