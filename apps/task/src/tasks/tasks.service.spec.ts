import type { ArgoWorkflows, Workflow } from '@platform/argo-client';
import { ConflictError } from '@platform/errors';
import type { Principal, RuntimeConfig } from '@platform/service-runtime';
import { strictStub } from '../../test/support/strict-stub';
import type { TaskConfig } from '../config/task-config';
import type { IdempotentSubmissions } from '../idempotency/idempotent-submissions';
import { activityWhile } from '../../test/support/running-tasks';
import type { UnfinishedTask } from './app-activity';
import { TaskPresenter } from './task-presenter';
import { TasksService } from './tasks.service';

const alice: Principal = { id: 'alice', teams: ['payments'], groups: [], admin: false, expiresAt: 0 };
const config = strictStub<TaskConfig>('config', {
  argo: strictStub<TaskConfig['argo']>('config.argo', { namespace: 'argo' }),
});

/** A failed task of app shop, of the given type. */
function failed(type: string): Workflow {
  return {
    metadata: {
      name: `shop-${type}-x`,
      labels: { 'platform-api/app': 'shop', 'platform-api/team': 'payments', 'platform-api/task-type': type },
    },
    spec: {},
    status: { phase: 'Failed' },
  };
}

/** What a retry of `workflow` comes to while `running` tasks of its app run: retried, or a refusal's code. */
async function retryWhile(workflow: Workflow, running: UnfinishedTask[]): Promise<string> {
  const argo = strictStub<ArgoWorkflows>('argo', {
    get: () => Promise.resolve(workflow),
    retry: () => Promise.resolve(workflow),
  });
  const activity = activityWhile(running);
  const idempotency = strictStub<IdempotentSubmissions>('idempotency', {
    submit: async (_request, run) => ({ task: await run(undefined), replayed: false }),
  });
  const presenter = new TaskPresenter(strictStub<RuntimeConfig>('runtime', { routePrefix: '/task/v1' }));
  const service = new TasksService(argo, config, presenter, idempotency, activity);
  try {
    await service.retry(workflow.metadata.name ?? '', alice);
    return 'retried';
  } catch (error) {
    if (error instanceof ConflictError) return error.code;
    throw error;
  }
}

describe('retrying a failed task follows the rules of a new one', () => {
  const deleting: UnfinishedTask = { id: 'shop-delete-y', type: 'delete' };
  const building: UnfinishedTask = { id: 'shop-ci-y', type: 'ci' };

  it.each<[string, UnfinishedTask[], string]>([
    ['cd', [], 'retried'],
    ['cd', [deleting], 'APP_BEING_RETIRED'],
    ['ci', [deleting], 'retried'],
    ['delete', [], 'retried'],
    ['delete', [building], 'APP_BUSY'],
  ])('a failed %s while %j runs: %s', async (type, running, expected) => {
    expect(await retryWhile(failed(type), running)).toBe(expected);
  });
});
