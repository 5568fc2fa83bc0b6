import { fieldProblems } from '../../test/support/field-problems';
import { ListTasksQuery, TaskIdParam } from './tasks.dto';

const LIMIT = 'limit must be between 1 and 100';

describe(ListTasksQuery.name, () => {
  // Query values arrive as strings; limit is converted to a number before it is checked.
  it.each([
    [{}],
    [{ app: 'shop' }],
    [{ type: 'create' }],
    [{ type: 'ci' }],
    [{ type: 'cd' }],
    [{ phase: 'Pending' }],
    [{ phase: 'Cancelled' }],
    [{ limit: '1' }],
    [{ limit: '100' }],
    [{ cursor: '0' }],
    [{ cursor: '999999999' }],
  ])('accepts %j', async (query) => {
    expect(await fieldProblems(ListTasksQuery, query, 'query')).toEqual({});
  });

  it.each([
    [{ app: 'Shop' }, 'app'],
    [{ app: 'a'.repeat(41) }, 'app'],
    [{ type: 'deploy' }, 'type'],
    [{ type: 'CI' }, 'type'],
    [{ phase: 'Error' }, 'phase'],
    [{ phase: 'failed' }, 'phase'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ cursor: '1234567890' }, 'cursor'],
    [{ cursor: '-1' }, 'cursor'],
    [{ cursor: 'abc' }, 'cursor'],
    [{ sort: 'name' }, 'sort'],
  ])('refuses %j in %s', async (query, field) => {
    expect(Object.keys(await fieldProblems(ListTasksQuery, query, 'query'))).toEqual([field]);
  });

  it.each([
    ['type', 'deploy', ['type must be one of create, ci, cd, delete']],
    [
      'phase',
      'Error',
      ['phase must be one of Pending, Running, Pending approval, Succeeded, Failed, Cancelled'],
    ],
    ['limit', '0', [LIMIT]],
    ['limit', '101', [LIMIT]],
    ['limit', '1.5', ['limit must be an integer']],
    ['cursor', 'abc', ['cursor must be the nextCursor of a previous page']],
  ])('says why %s %j is refused', async (field, value, problems) => {
    expect(await fieldProblems(ListTasksQuery, { [field]: value }, 'query')).toEqual({
      [field]: problems,
    });
  });
});

describe(TaskIdParam.name, () => {
  it.each([['create-shop-x7k2p'], ['ci-shop-abc12'], ['a'], ['shop.v2']])(
    'accepts the task id %j',
    async (id) => {
      expect(await fieldProblems(TaskIdParam, { id }, 'param')).toEqual({});
    },
  );

  it.each([[''], ['Create-shop'], ['-shop'], ['shop-'], ['shop.'], ['shop_1'], ['shop/1']])(
    'refuses the task id %j',
    async (id) => {
      expect(await fieldProblems(TaskIdParam, { id }, 'param')).toEqual({
        id: ['id must be a task id (a workflow name)'],
      });
    },
  );
});
