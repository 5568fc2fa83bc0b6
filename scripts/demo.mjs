#!/usr/bin/env node
// @ts-check
// `npm run demo`: what a portal does, end to end, against a running `npm start`: create an app
// from the node-service template, build it, deploy the built image to dev, promote it to prod —
// where a release manager (another identity, in the approvers group) approves it — following each
// task live on the monitoring service's stream, then show the app list from the summary service.
// Exits non-zero with the failing step and its message when any task fails.
//
//   --url <base>      the gateway (PLATFORM_URL; default from PLATFORM_PORT_BASE, i.e. http://127.0.0.1:8080)
//   --admin-url <u>   the sandbox admin API a token is asked from (PLATFORM_ADMIN_URL) unless TOKEN is set
//   --team <team>     the team that owns the app (default demo)
//   --name <app>      the app's name (default demo-<random>)
//   --ref <ref>       the branch, tag or commit to build (default main)
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ApiError, devToken, PlatformApi } from './demo/api.mjs';
import { progressView } from './demo/progress.mjs';
import { appTable } from './demo/table.mjs';
import { platformPorts } from './lib/ports.mjs';

/**
 * @typedef {import('@platform/domain').Task} Task
 * @typedef {import('@platform/domain').AppSummary} AppSummary
 * @typedef {import('./demo/progress.mjs').LogLine} LogLine
 */

class TaskFailed extends Error {}

/** The approvers group `npm start` gives the task service (its APPROVERS_GROUP default). */
const APPROVERS = 'platform-approvers';

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'admin-url': { type: 'string' },
      team: { type: 'string' },
      name: { type: 'string' },
      ref: { type: 'string' },
    },
  });
  const ports = platformPorts();
  return {
    baseUrl: values.url ?? process.env.PLATFORM_URL ?? `http://127.0.0.1:${ports.gateway}`,
    adminUrl:
      values['admin-url'] ?? process.env.PLATFORM_ADMIN_URL ?? `http://127.0.0.1:${ports.sandboxBase + 4}`,
    team: values.team ?? 'demo',
    app: values.name ?? `demo-${randomBytes(3).toString('hex')}`,
    ref: values.ref ?? 'main',
  };
}

/**
 * Follows a task on its stream until it ends; returns the finished task or throws its error.
 * A task that comes to wait for an approval is handed to `approve` once.
 * @param {PlatformApi} api
 * @param {string} title
 * @param {Task} task
 * @param {(task: Task) => Promise<void>} [approve]
 * @returns {Promise<Task>}
 */
async function follow(api, title, task, approve) {
  const view = progressView(title);
  let asked = false;
  /** @param {Task} current */
  const update = async (current) => {
    view.update(current);
    if (current.phase !== 'Pending approval' || asked || approve === undefined) return;
    asked = true;
    view.note(`(waiting for an approver of ${current.approval?.approvers ?? 'the approvers group'}…)`);
    await approve(current);
  };
  await update(task);
  /** @type {Task | undefined} */
  let finished;
  for await (const { event, data } of api.taskEvents(task)) {
    // What each event carries (the monitoring service's task stream).
    if (event === 'snapshot') await update(/** @type {{ task: Task }} */ (data).task);
    else if (event === 'task') await update(/** @type {Task} */ (data));
    else if (event === 'log') view.log(/** @type {LogLine} */ (data));
    else if (event === 'complete') view.update((finished = /** @type {Task} */ (data)));
    else if (event === 'reconnecting') view.note('(the upstream stream reconnects…)');
    else if (event === 'shutdown') view.note('(the monitoring service restarts; resuming…)');
    else if (event === 'upstream-error' || event === 'unauthorized' || event === 'overflow') {
      throw new TaskFailed(
        `the stream of ${title} task ${task.id} ended with ${event}: ${/** @type {{ message?: string } | undefined} */ (data)?.message ?? JSON.stringify(data)}`,
      );
    }
  }
  if (finished === undefined)
    throw new TaskFailed(`the stream of ${title} task ${task.id} ended before the task did`);
  if (finished.phase !== 'Succeeded') {
    const { step, message } = finished.error ?? { step: null, message: '(no message)' };
    throw new TaskFailed(
      `${title} task ${finished.id} ${finished.phase} at step ${step ?? '(unknown)'}: ${message}`,
    );
  }
  return finished;
}

/**
 * The summary service folds upstream changes in asynchronously: wait until it shows the deploy.
 * @param {PlatformApi} api
 * @param {string} app
 */
async function appListShowing(api, app) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const page = /** @type {{ items: AppSummary[] }} */ (
      await api.get('/summary/v1/apps?sort=activity&limit=20')
    );
    const ours = page.items.find((a) => a.app === app);
    if (ours?.deploy?.phase === 'Succeeded' || Date.now() > deadline) return page;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main() {
  const { baseUrl, adminUrl, team, app, ref } = options();
  const token = process.env.TOKEN || (await devToken(adminUrl, team));
  const api = new PlatformApi(baseUrl, token);
  console.log(
    `Platform API at ${baseUrl}: creating, building, deploying and promoting "${app}" (team ${team})\n`,
  );

  const created = await follow(
    api,
    'create',
    /** @type {Task} */ (await api.post('/task/v1/apps', { name: app, team, template: 'node-service' })),
  );
  // A finished task's result is of its type's shape.
  const source = /** @type {import('@platform/domain').CreateResult} */ (created.result);
  console.log(`  source ${source.sourceRepoUrl}, Argo CD app ${source.argocdApp}\n`);

  const built = await follow(
    api,
    'build',
    /** @type {Task} */ (await api.post(`/task/v1/apps/${app}/builds`, { ref })),
  );
  const image = /** @type {import('@platform/domain').CiResult} */ (built.result).image;
  if (image === null) throw new TaskFailed(`build task ${built.id} succeeded without an image`);
  console.log(`  image ${image}\n`);

  const tag = image.slice(image.lastIndexOf(':') + 1);
  const deployed = await follow(
    api,
    'deploy',
    /** @type {Task} */ (await api.post(`/task/v1/apps/${app}/deployments`, { environment: 'dev', tag })),
  );
  const release = /** @type {import('@platform/domain').CdResult} */ (deployed.result);
  console.log(`  ${release.environment}: ${release.image}, health ${release.health ?? 'unknown'}\n`);

  // prod is protected (PROTECTED_ENVIRONMENTS): the promotion waits until someone of the
  // approvers group other than its requester approves it.
  const approver = new PlatformApi(
    baseUrl,
    process.env.APPROVER_TOKEN ||
      (await devToken(adminUrl, team, {
        sub: 'release-manager',
        name: 'Release manager',
        groups: [APPROVERS],
      })),
  );
  const promoted = await follow(
    api,
    'promote',
    /** @type {Task} */ (await api.post(`/task/v1/apps/${app}/promotions`, { from: 'dev', to: 'prod' })),
    async (waiting) => {
      await approver.post(`/task/v1/tasks/${waiting.id}/approve`, {});
      console.log(`  approved by release-manager`);
    },
  );
  const toProd = /** @type {import('@platform/domain').CdResult} */ (promoted.result);
  console.log(
    `  ${toProd.environment}: ${toProd.image} by digest ${toProd.digest}, health ${toProd.health ?? 'unknown'}\n`,
  );

  const page = await appListShowing(api, app);
  console.log(`Apps (summary service, newest first):\n${appTable(page.items)}`);
  if (!page.items.some((a) => a.app === app))
    throw new TaskFailed(`the summary service does not list "${app}" yet`);
}

main().catch((/** @type {unknown} */ error) => {
  const known = error instanceof ApiError || error instanceof TaskFailed;
  console.error(
    `\ndemo failed: ${known ? error.message : error instanceof Error ? error.stack : String(error)}`,
  );
  process.exit(1);
});
