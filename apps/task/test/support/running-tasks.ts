import type { ArgoWorkflows } from '@platform/argo-client';
import type { TaskConfig } from '../../src/config/task-config';
import { AppActivity, type UnfinishedTask } from '../../src/tasks/app-activity';
import { strictStub } from './strict-stub';

/** AppActivity's real rules over a stand-in for its Argo list: exactly these tasks of the app run. */
export function activityWhile(running: readonly UnfinishedTask[]): AppActivity {
  return new (class extends AppActivity {
    override unfinished(_app: string, types: readonly string[] = []): Promise<UnfinishedTask[]> {
      return Promise.resolve(running.filter((t) => types.length === 0 || types.includes(t.type)));
    }
  })(strictStub<ArgoWorkflows>('argo'), strictStub<TaskConfig>('config'));
}
