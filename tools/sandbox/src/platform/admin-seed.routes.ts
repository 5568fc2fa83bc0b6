import type { Router } from '../core/http-kit';
import { readJson, sendJson } from '../core/http-kit';
import type { SandboxContext } from '../core/sandbox-context';
import { seedApps, type SeedOptions } from './seed/seed-apps';
import { FieldChecker, objectBody } from '../admin/admin-errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;
const PREFIX = /^([a-z0-9][-a-z0-9]{0,19})?$/;

/** `POST /admin/seed`: thousands of ready-made apps, straight into the store. */
export function seedRoutes(router: Router, ctx: SandboxContext): void {
  router.on('POST', '/admin/seed', async (req, res) => {
    const options = parseSeedOptions(await readJson(req));
    sendJson(res, 200, await seedApps(ctx, options));
  });
}

export function parseSeedOptions(body: unknown): SeedOptions {
  const check = new FieldChecker(objectBody(body), [
    'apps',
    'teams',
    'namespacePrefix',
    'podsPerApp',
    'workflowsPerApp',
    'gitRepos',
  ]);
  const apps = check.number('apps', 1, 100_000, { integer: true, required: true });
  const teams =
    typeof check.body.teams === 'number'
      ? check.number('teams', 1, 1000, { integer: true })
      : check.strings('teams', DNS_LABEL, 'a DNS label of at most 40 characters', { max: 1000 });
  if (Array.isArray(teams) && teams.length === 0) check.problem('teams', 'must not be empty');
  const namespacePrefix = check.string(
    'namespacePrefix',
    PREFIX,
    'must be lower case alphanumerics or "-", at most 20 characters',
  );
  const podsPerApp = check.number('podsPerApp', 0, 20, { integer: true });
  const workflowsPerApp = check.number('workflowsPerApp', 0, 20, { integer: true });
  const gitRepos = check.number('gitRepos', 0, 100_000, { integer: true });
  check.done();
  return { apps: apps ?? 0, teams, namespacePrefix, podsPerApp, workflowsPerApp, gitRepos };
}
