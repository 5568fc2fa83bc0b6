import { Injectable } from '@nestjs/common';
import { Annotations, applicationName, type DeployReason, type TaskType } from '@platform/domain';
import { ConflictError, ForbiddenError, InvalidRequestError, UnprocessableError } from '@platform/errors';
import { canAccessTeam, type FieldProblem, type Principal } from '@platform/service-runtime';
import { TaskConfig } from '../config/task-config';
import {
  IdempotentSubmissions,
  type Accepted,
  type IdempotentRequest,
} from '../idempotency/idempotent-submissions';
import { requestFingerprint } from '../idempotency/request-fingerprint';
import { TaskSubmitter, type Submission } from '../submit/task-submitter';
import { AppActivity } from '../tasks/app-activity';
import { placeholderValues, resolveParameters } from '../templates/template-parameters';
import { AppDirectory, type AppTraces, type ManagedApp } from './app-directory';
import type { BuildBody, CreateAppBody, DeployBody } from './apps.dto';
import { BuiltImages } from './built-images';
import { CreateLock } from './create-lock';

const DEFAULT_REF = 'main';

/** What a cd deploys where, and why. */
export interface DeployTarget {
  environment: string;
  tag: string;
  reason: DeployReason;
  /** A promotion's source environment, a rollback's restored commit; '' for a deploy. */
  origin: string;
  /** The digest to pin, looked up only when the request is submitted (not on a replay). */
  digest: () => Promise<string>;
}

/**
 * Create, build and deploy: validate, check upstream state, submit the task's workflow. Nothing
 * is submitted unless every check passed, so a refused request leaves nothing behind.
 */
@Injectable()
export class AppsService {
  constructor(
    private readonly config: TaskConfig,
    private readonly directory: AppDirectory,
    private readonly builds: BuiltImages,
    private readonly lock: CreateLock,
    private readonly submitter: TaskSubmitter,
    private readonly idempotency: IdempotentSubmissions,
    private readonly activity: AppActivity,
  ) {}

  async create(body: CreateAppBody, principal: Principal, key: string | undefined): Promise<Accepted> {
    if (!canAccessTeam(principal, body.team)) {
      throw new ForbiddenError(
        'FORBIDDEN',
        `you are not in team ${body.team}, so you cannot create its apps`,
        {
          team: body.team,
        },
      );
    }
    const template = this.config.catalog.find(body.template);
    const resolved = template === undefined ? undefined : resolveParameters(template, body.parameters ?? {});
    const environment = body.environment ?? this.config.environments[0] ?? 'dev';
    invalidIf([
      ...(template === undefined
        ? [
            field(
              'template',
              `unknown template "${body.template}"; available: ${this.config.catalog.names.join(', ')}`,
            ),
          ]
        : []),
      ...(resolved?.ok === false ? resolved.problems : []),
      ...this.environmentProblems(environment),
    ]);
    const values = resolved?.ok === true ? resolved.values : {};
    const { request, task } = this.submission('create', body.name, body.team, principal, key, body, {
      app: body.name,
      team: body.team,
      template: body.template,
      values: placeholderValues(values),
      environment,
      'git-url': this.config.git.url,
      'git-provider': this.config.git.provider,
      'templates-org': this.config.git.templatesOrg,
      registry: this.config.registry.host,
      'argocd-server': this.config.argocd.server,
      'argocd-tls': this.config.argocd.cliTlsFlag,
    });
    return this.idempotency.submit(request, (name) =>
      this.lock.hold(body.name, async () => {
        const [traces, onGitServer, hasProject] = await Promise.all([
          this.directory.traces(body.name, body.team),
          this.directory.hasGitOrganization(body.team),
          this.directory.hasArgoCdProject(body.team),
        ]);
        refuseTaken(body.name, traces);
        if (!onGitServer) this.refuseWithoutOrganization(body.team);
        if (!hasProject) refuseWithoutProject(body.team);
        return this.submitter.submit({ ...task, template: body.template, name });
      }),
    );
  }

  async build(
    app: string,
    body: BuildBody,
    principal: Principal,
    key: string | undefined,
  ): Promise<Accepted> {
    const ref = body.ref ?? DEFAULT_REF;
    const found = await this.directory.accessible(app, principal);
    const { request, task } = this.submission(
      'ci',
      app,
      found.team,
      principal,
      key,
      { ...body, ref },
      {
        app,
        team: found.team,
        ref,
        'git-url': this.config.git.url,
        registry: this.config.registry.host,
      },
    );
    // A build during a retire is let be: it deploys nothing, and its image is kept like the others.
    return this.idempotency.submit(request, (name) => this.submitter.submit({ ...task, name }));
  }

  async deploy(
    app: string,
    body: DeployBody,
    principal: Principal,
    key: string | undefined,
  ): Promise<Accepted> {
    invalidIf(this.environmentProblems(body.environment));
    const found = await this.directory.accessible(app, principal);
    return this.submitDeploy(found, principal, key, body, {
      environment: body.environment,
      tag: body.tag,
      reason: 'deploy',
      origin: '',
      digest: async () => {
        const built = await this.builds.find(found.team, app, body.tag);
        if (built !== undefined) return built.digest;
        const image = `${this.config.registry.host}/${found.team}/${app}:${body.tag}`;
        throw new UnprocessableError(
          'IMAGE_NOT_BUILT',
          `the registry has no image ${image}: no build of app "${app}" pushed the tag "${body.tag}"; build it with POST /apps/${app}/builds and deploy the tag of its result`,
          { app, tag: body.tag, image },
        );
      },
    });
  }

  /**
   * Submits a cd of an image to one environment of the app: a deploy, a promotion or a
   * rollback. The digest is resolved once the request is known not to be a replay; the
   * environment runs the image by it, so a tag moved later changes nothing there.
   */
  async submitDeploy(
    found: ManagedApp,
    principal: Principal,
    key: string | undefined,
    body: object,
    target: DeployTarget,
  ): Promise<Accepted> {
    invalidIf(this.environmentProblems(target.environment));
    // The environment's Application, or the one the cd workflow provisions on this first deploy.
    const application =
      found.environments.find((e) => e.environment === target.environment)?.application ??
      applicationName(found.name, target.environment);
    const { request, task } = this.submission('cd', found.name, found.team, principal, key, body, {
      app: found.name,
      team: found.team,
      environment: target.environment,
      application,
      template: found.template ?? '',
      tag: target.tag,
      reason: target.reason,
      origin: target.origin,
      // A protected environment's deploy waits at its approval step for an approver.
      approval: this.config.protectedEnvironments.includes(target.environment) ? 'required' : '',
      approvers: this.config.approvers,
      'requested-by': trailerValue(principal.id),
      'git-url': this.config.git.url,
      'argocd-server': this.config.argocd.server,
      'argocd-tls': this.config.argocd.cliTlsFlag,
    });
    return this.idempotency.submit(request, async (name) => {
      // No deploy while the app is being retired: it could provision an environment behind the delete.
      const [, digest] = await Promise.all([this.activity.refuseWhileRetiring(found.name), target.digest()]);
      return this.submitter.submit({
        ...task,
        name,
        parameters: { ...task.parameters, digest },
        annotations: { [Annotations.imageDigest]: digest },
      });
    });
  }

  /**
   * Retires the app: a delete task deletes its Applications with their resources and archives
   * its repositories under new names. Refused while any task of the app runs (a deploy could
   * provision an environment behind the delete); the name is taken until the delete succeeds.
   */
  async retire(app: string, principal: Principal, key: string | undefined): Promise<Accepted> {
    const found = await this.directory.accessible(app, principal);
    const { request, task } = this.submission(
      'delete',
      app,
      found.team,
      principal,
      key,
      {},
      {
        app,
        team: found.team,
        applications: found.environments.map((e) => e.application).join('\n'),
        'git-url': this.config.git.url,
        'git-provider': this.config.git.provider,
        'argocd-server': this.config.argocd.server,
        'argocd-tls': this.config.argocd.cliTlsFlag,
      },
    );
    return this.idempotency.submit(request, (name) =>
      this.lock.hold(
        app,
        async () => {
          await this.activity.refuseUnlessIdle(app);
          return this.submitter.submit({ ...task, name });
        },
        'retire',
      ),
    );
  }

  private submission(
    type: TaskType,
    app: string,
    team: string,
    principal: Principal,
    key: string | undefined,
    body: object,
    parameters: Record<string, string>,
  ): { request: IdempotentRequest; task: Submission } {
    const requestHash = requestFingerprint(type, app, body);
    return {
      request: { type, app, principal, key, requestHash },
      task: { type, app, team, parameters, requester: principal, requestHash },
    };
  }

  /**
   * The create-app workflow creates the app's repositories in the team's organization and does
   * not create organizations: the platform team sets one up per team beforehand.
   */
  private refuseWithoutOrganization(team: string): never {
    const { url, provider } = this.config.git;
    throw new UnprocessableError(
      'TEAM_NOT_ON_GIT_SERVER',
      `team ${team} has no ${provider === 'gitlab' ? 'group' : 'organization'} "${team}" that the platform's git account can see on the git server (${url}); ` +
        "a platform admin creates one per team and lets the platform's git account create repositories in it",
      { team, gitServer: url },
    );
  }

  private environmentProblems(environment: string): FieldProblem[] {
    return this.config.environments.includes(environment)
      ? []
      : [
          field(
            'environment',
            `unknown environment "${environment}"; one of: ${this.config.environments.join(', ')}`,
          ),
        ];
  }
}

/**
 * The create-app workflow puts the app in the team's Argo CD AppProject and namespace, which the
 * platform team creates once per team (deploy/team); without them it would create the repos and
 * build, then fail at its last step. Refused before anything is submitted.
 */
function refuseWithoutProject(team: string): never {
  throw new UnprocessableError(
    'TEAM_HAS_NO_ARGOCD_PROJECT',
    `team ${team} has no Argo CD project "${team}" to create its apps in; ` +
      'a platform admin onboards each team once (its Argo CD project and namespaces)',
    { team },
  );
}

function refuseTaken(app: string, traces: AppTraces): void {
  const where = [
    ...(traces.argocdApplication ? ['an Argo CD application'] : []),
    ...traces.repositories.map((repo) => `git repository ${repo}`),
    ...(traces.createTask === undefined ? [] : [`create task ${traces.createTask} (still running)`]),
    ...(traces.deleteTask === undefined
      ? []
      : [`delete task ${traces.deleteTask} (still running; the name is free once it succeeds)`]),
  ];
  if (where.length === 0) return;
  throw new ConflictError(
    'APP_EXISTS',
    `app "${app}" already exists: ${where.join(', ')}; pick another name`,
    {
      app,
      ...traces,
    },
  );
}

/** A value for one line of a commit's trailers: no line breaks or other control characters. */
export function trailerValue(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
}

export function invalidIf(fields: FieldProblem[]): void {
  if (fields.length === 0) return;
  throw new InvalidRequestError(
    'VALIDATION_FAILED',
    `The request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.map((f) => f.field).join(', ')}`,
    { fields },
  );
}

export function field(name: string, problem: string): FieldProblem {
  return { field: name, problems: [problem] };
}
