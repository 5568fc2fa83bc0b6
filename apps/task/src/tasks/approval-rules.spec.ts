import type { Task } from '@platform/domain';
import type { Principal } from '@platform/service-runtime';
import { refuseApproval } from './approval-rules';

const task = (over: Partial<Task>): Task =>
  ({
    id: 'shop-cd-x',
    phase: 'Pending approval',
    requestedBy: 'alice',
    approval: { state: 'pending', approvers: 'release', message: null },
    ...over,
  }) as Task;
const principal = (id: string, groups: string[], admin = false): Principal => ({
  id,
  teams: ['payments'],
  groups,
  admin,
  expiresAt: Number.MAX_SAFE_INTEGER,
});

describe(refuseApproval.name, () => {
  it.each([
    ['a member of the approvers group who did not ask', task({}), principal('bob', ['release']), null],
    ['the requester, even in the group', task({}), principal('alice', ['release']), 'OWN_REQUEST'],
    [
      'the requester with a comma in their id',
      task({ requestedBy: 'a%2Cb' }),
      principal('a,b', ['release']),
      'OWN_REQUEST',
    ],
    ['an admin outside the group', task({}), principal('root', [], true), 'NOT_AN_APPROVER'],
    ['a member of another group', task({}), principal('carol', ['dev']), 'NOT_AN_APPROVER'],
    [
      'anyone, for a task that needs none',
      task({ approval: null }),
      principal('bob', ['release']),
      'NO_APPROVAL',
    ],
    [
      'anyone, once it was decided',
      task({ phase: 'Running', approval: { state: 'approved', approvers: 'release', message: null } }),
      principal('bob', ['release']),
      'NOT_PENDING_APPROVAL',
    ],
  ])('%s', (_, t, p, code) => {
    const attempt = (): void => refuseApproval(t, p, 'approve');
    if (code === null) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(expect.objectContaining({ code }));
  });
});
