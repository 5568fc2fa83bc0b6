import type { Task } from '@platform/domain';
import { InvalidRequestError } from '@platform/errors';
import type { Principal } from '@platform/service-runtime';
import { strictStub } from '../../test/support/strict-stub';
import type { TaskConfig } from '../config/task-config';
import type { IdempotentSubmissions } from '../idempotency/idempotent-submissions';
import type { Submission, TaskSubmitter } from '../submit/task-submitter';
import { TemplateCatalog } from '../templates/catalog';
import type { AppDirectory } from './app-directory';
import type { BuiltImages } from './built-images';
import type { CreateLock } from './create-lock';
import { AppsService } from './apps.service';

const alice: Principal = { id: 'alice', teams: ['payments'], groups: [], admin: false, expiresAt: 0 };

const config = strictStub<TaskConfig>('config', {
  environments: ['dev', 'prod'],
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
function appsService(): { service: AppsService; submitted: Submission[] } {
  const submitted: Submission[] = [];
  const directory = strictStub<AppDirectory>('directory', {
    traces: () => Promise.resolve({ argocdApplication: false, repositories: [], createTask: undefined }),
    hasGitOrganization: () => Promise.resolve(true),
    hasArgoCdProject: () => Promise.resolve(true),
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
    service: new AppsService(config, directory, builds, lock, submitter, idempotency),
    submitted,
  };
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
});
