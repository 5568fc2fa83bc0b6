import type { Task } from '@platform/domain';
import { ConflictError, InvalidRequestError } from '@platform/errors';
import type { Principal } from '@platform/service-runtime';
import { strictStub } from '../../test/support/strict-stub';
import type { TaskConfig } from '../config/task-config';
import type { IdempotentSubmissions } from '../idempotency/idempotent-submissions';
import type { Submission, TaskSubmitter } from '../submit/task-submitter';
import { TemplateCatalog } from '../templates/catalog';
import type { AppDirectory, ManagedApp } from './app-directory';
import type { UnfinishedTask } from '../tasks/app-activity';
import { activityWhile } from '../../test/support/running-tasks';
import type { BuiltImages } from './built-images';
import type { CreateLock } from './create-lock';
import { AppsService } from './apps.service';

const alice: Principal = { id: 'alice', teams: ['payments'], groups: [], admin: false, expiresAt: 0 };

const config = strictStub<TaskConfig>('config', {
  environments: ['dev', 'prod'],
  protectedEnvironments: [],
  approvers: 'platform-approvers',
  catalog: new TemplateCatalog([
    {
      name: 'node-service',
      title: 'Node.js HTTP service',
      description: 'A small HTTP service.',
      sourceRepo: 'node-service',
      manifestsRepo: 'node-service-manifests',
      parameters: [],
    },
  ]),
  git: {
    provider: 'gitea',
    url: 'https://git.example.com',
    templatesOrg: 'platform-templates',
    insecureSkipTlsVerify: false,
  },
  registry: {
    host: 'registry.example.com',
    url: 'https://registry.example.com',
    insecureSkipTlsVerify: false,
  },
  argocd: strictStub<TaskConfig['argocd']>('config.argocd', {
    server: 'argocd.example.com',
    cliTlsFlag: '',
  }),
});

/**
 * The service with stand-ins that go as far as the submitter: the submission it would make is
 * returned, and nothing a test did not plan (a deploy's registry lookup, say) is reached silently.
 */
function appsService(running: UnfinishedTask[] = []): { service: AppsService; submitted: Submission[] } {
  const submitted: Submission[] = [];
  const directory = strictStub<AppDirectory>('directory', {
    traces: () =>
      Promise.resolve({
        argocdApplication: false,
        repositories: [],
        createTask: undefined,
        deleteTask: undefined,
      }),
    hasGitOrganization: () => Promise.resolve(true),
    hasArgoCdProject: () => Promise.resolve(true),
    accessible: (name) => Promise.resolve(shop(name)),
  });
  const lock = strictStub<CreateLock>('lock', { hold: (_app, work) => work() });
  const submitter = strictStub<TaskSubmitter>('submitter', {
    submit: (submission) => {
      submitted.push(submission);
      return Promise.resolve(strictStub<Task>('task'));
    },
  });
  const idempotency = strictStub<IdempotentSubmissions>('idempotency', {
    submit: async (_request, run) => ({ task: await run(undefined), replayed: false }),
  });
  const builds = strictStub<BuiltImages>('builds');
  return {
    service: new AppsService(config, directory, builds, lock, submitter, idempotency, activityWhile(running)),
    submitted,
  };
}

/** The app shop of team payments, deployed to dev and prod. */
function shop(name: string): ManagedApp {
  return {
    name,
    team: 'payments',
    template: 'node-service',
    environments: ['dev', 'prod'].map((environment) => ({
      environment,
      application: `${name}-${environment}`,
      namespace: `payments-${environment}`,
    })),
  };
}

/** The code of a refused request's error, or "accepted". */
async function refusal(request: () => Promise<unknown>): Promise<string> {
  try {
    await request();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return error.code;
  }
}

/** The field problems of a refused request, or "accepted". */
async function outcome(request: () => Promise<unknown>): Promise<unknown> {
  try {
    await request();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    return error.details?.fields;
  }
}

describe(AppsService.name, () => {
  const unknown = (environment: string): unknown => [
    { field: 'environment', problems: [`unknown environment "${environment}"; one of: dev, prod`] },
  ];

  describe('the environment of a new app', () => {
    it.each([
      ['dev', 'accepted'],
      ['prod', 'accepted'],
      ['qa', unknown('qa')],
      ['Dev', unknown('Dev')],
      ['', unknown('')],
      ['dev,prod', unknown('dev,prod')],
    ])('%j: %j', async (environment, expected) => {
      const { service } = appsService();
      const body = { name: 'shop', team: 'payments', template: 'node-service', environment };
      expect(await outcome(() => service.create(body, alice, undefined))).toEqual(expected);
    });

    it('is the first configured one when the request names none', async () => {
      const { service, submitted } = appsService();
      await service.create({ name: 'shop', team: 'payments', template: 'node-service' }, alice, undefined);
      expect(submitted.map((s) => s.parameters.environment)).toEqual(['dev']);
    });
  });

  describe('the environment of a deploy', () => {
    // Refused before the app is looked up: the directory stand-in has no `accessible`.
    it.each([['qa'], ['PROD'], ['']])(
      '%j is refused before anything upstream is asked',
      async (environment) => {
        const { service } = appsService();
        expect(
          await outcome(() => service.deploy('shop', { environment, tag: 'v1' }, alice, undefined)),
        ).toEqual(unknown(environment));
      },
    );
  });

  describe('retiring an app', () => {
    it('submits a delete task naming every Application of the app', async () => {
      const { service, submitted } = appsService();
      await service.retire('shop', alice, undefined);
      expect(submitted).toMatchObject([
        {
          type: 'delete',
          app: 'shop',
          team: 'payments',
          parameters: { app: 'shop', team: 'payments', applications: 'shop-dev\nshop-prod' },
        },
      ]);
    });

    it.each<[UnfinishedTask[], string]>([
      [[], 'accepted'],
      [[{ id: 'shop-ci-x', type: 'ci' }], 'APP_BUSY'],
      [[{ id: 'shop-cd-x', type: 'cd' }], 'APP_BUSY'],
      [[{ id: 'shop-delete-x', type: 'delete' }], 'APP_BUSY'],
    ])('with unfinished tasks %j: %s', async (running, expected) => {
      const { service } = appsService(running);
      expect(await refusal(() => service.retire('shop', alice, undefined))).toBe(expected);
    });

    it.each<[UnfinishedTask[], string, string]>([
      [[], 'build', 'accepted'],
      [[{ id: 'shop-delete-x', type: 'delete' }], 'build', 'accepted'],
      [[], 'deploy', 'accepted'],
      [[{ id: 'shop-cd-x', type: 'cd' }], 'deploy', 'accepted'],
      [[{ id: 'shop-delete-x', type: 'delete' }], 'deploy', 'APP_BEING_RETIRED'],
    ])('while %j runs, a %s: %s', async (running, kind, expected) => {
      const { service } = appsService(running);
      const target = {
        environment: 'prod',
        tag: 'v1',
        reason: 'deploy' as const,
        origin: '',
        digest: () => Promise.resolve(`sha256:${'0'.repeat(64)}`),
      };
      expect(
        await refusal(() =>
          kind === 'build'
            ? service.build('shop', { ref: 'main' }, alice, undefined)
            : service.submitDeploy(shop('shop'), alice, undefined, {}, target),
        ),
      ).toBe(expected);
    });
  });
});
