import type { Case } from './cases';

export type ServiceName = 'task' | 'monitoring' | 'summary';

/** What a request gets: a status with the error code of its body (null: not an error), or an opened stream. */
export type Outcome = { status: number; code: string | null } | 'stream';

/** The roles of the cases that carry a valid token. */
export interface RoleOutcomes {
  "member of the app's team": Outcome;
  admin: Outcome;
  'member of another team': Outcome;
  /** A teams claim of `*`, `a,b`, `-`: no team at all (default: as another team's member). */
  'wildcard team claim'?: Outcome;
}

export interface Rule {
  service: ServiceName;
  /** As in the service's OpenAPI document: `GET /task/v1/tasks/{id}`. */
  route: string;
  query?: string;
  body?: unknown;
  /** Public routes answer every case alike; the others refuse the seven bad tokens first. */
  outcomes: 'public' | RoleOutcomes;
}

/** The app, team and template the requests name (path parameters are filled from these). */
export const APP = 'app-00001';
export const TEMPLATE = 'node-service';

const ok = (status = 200): Outcome => ({ status, code: null });
const error = (status: number, code: string): Outcome => ({ status, code });
const STREAM: Outcome = 'stream';

/** The same outcome for every valid token. */
const everyone = (outcome: Outcome): RoleOutcomes => ({
  "member of the app's team": outcome,
  admin: outcome,
  'member of another team': outcome,
});

/** The app's team and admins get `allowed`; everyone else the same 404 as for a missing app or task. */
const ownersOnly = (allowed: Outcome, hidden: Outcome): RoleOutcomes => ({
  "member of the app's team": allowed,
  admin: allowed,
  'member of another team': hidden,
});

const APP_HIDDEN = error(404, 'APP_NOT_FOUND');
const TASK_HIDDEN = error(404, 'TASK_NOT_FOUND');

const rootRoutes = (service: ServiceName): Rule[] =>
  ['GET /healthz/live', 'GET /healthz/ready'].map((route) => ({
    service,
    route,
    outcomes: 'public' as const,
  }));

/**
 * One rule per route of the three services' OpenAPI documents: what each caller gets. A route
 * the documents list without a rule here fails the matrix, as does a rule for a route that is gone.
 */
export const RULES: Rule[] = [
  ...rootRoutes('task'),
  { service: 'task', route: 'GET /task/v1/templates', outcomes: everyone(ok()) },
  { service: 'task', route: 'GET /task/v1/templates/{name}', outcomes: everyone(ok()) },
  {
    service: 'task',
    route: 'POST /task/v1/apps',
    body: { name: APP, team: 'payments', template: TEMPLATE },
    // The caller names the team: not being in it is 403; the name is taken (409) for those who are.
    outcomes: ownersOnly(error(409, 'APP_EXISTS'), error(403, 'FORBIDDEN')),
  },
  {
    service: 'task',
    route: 'POST /task/v1/apps/{app}/builds',
    body: { ref: 'main' },
    outcomes: ownersOnly(ok(202), APP_HIDDEN),
  },
  {
    service: 'task',
    route: 'POST /task/v1/apps/{app}/deployments',
    body: { environment: 'dev', tag: 'never-built' },
    outcomes: ownersOnly(error(422, 'IMAGE_NOT_BUILT'), APP_HIDDEN),
  },
  {
    service: 'task',
    route: 'GET /task/v1/apps/{app}/deployments',
    query: 'environment=dev',
    outcomes: ownersOnly(ok(), APP_HIDDEN),
  },
  {
    service: 'task',
    route: 'POST /task/v1/apps/{app}/promotions',
    body: { from: 'dev', to: 'prod' },
    // A seeded app has no manifests repository, so no deploy to promote.
    outcomes: ownersOnly(error(422, 'NOTHING_TO_PROMOTE'), APP_HIDDEN),
  },
  {
    service: 'task',
    route: 'POST /task/v1/apps/{app}/rollbacks',
    body: { environment: 'dev', to: 'app-00001-cd-none' },
    outcomes: ownersOnly(error(404, 'DEPLOYMENT_NOT_FOUND'), APP_HIDDEN),
  },
  {
    service: 'task',
    route: 'DELETE /task/v1/apps/{app}',
    // The matrix platform keeps a task of the app waiting (holdAppBusy): never retired here.
    outcomes: ownersOnly(error(409, 'APP_BUSY'), APP_HIDDEN),
  },
  { service: 'task', route: 'GET /task/v1/tasks', outcomes: everyone(ok()) },
  { service: 'task', route: 'GET /task/v1/tasks/{id}', outcomes: ownersOnly(ok(), TASK_HIDDEN) },
  {
    service: 'task',
    route: 'POST /task/v1/tasks/{id}/cancel',
    outcomes: ownersOnly(error(409, 'TASK_FINISHED'), TASK_HIDDEN),
  },
  {
    service: 'task',
    route: 'POST /task/v1/tasks/{id}/approve',
    // The matrix's task is a build: it needs no approval.
    outcomes: ownersOnly(error(409, 'NO_APPROVAL'), TASK_HIDDEN),
  },
  {
    service: 'task',
    route: 'POST /task/v1/tasks/{id}/reject',
    outcomes: ownersOnly(error(409, 'NO_APPROVAL'), TASK_HIDDEN),
  },
  {
    service: 'task',
    route: 'POST /task/v1/tasks/{id}/retry',
    outcomes: ownersOnly(error(409, 'TASK_NOT_RETRYABLE'), TASK_HIDDEN),
  },
  { service: 'task', route: 'POST /task/v1/stream-tickets', outcomes: everyone(ok(201)) },

  ...rootRoutes('monitoring'),
  {
    service: 'monitoring',
    route: 'GET /monitoring/v1/apps/{app}/status',
    outcomes: ownersOnly(ok(), APP_HIDDEN),
  },
  {
    service: 'monitoring',
    route: 'GET /monitoring/v1/apps/{app}/status/stream',
    outcomes: ownersOnly(STREAM, APP_HIDDEN),
  },
  {
    service: 'monitoring',
    route: 'GET /monitoring/v1/apps/{app}/logs',
    outcomes: ownersOnly(STREAM, APP_HIDDEN),
  },
  {
    service: 'monitoring',
    route: 'GET /monitoring/v1/apps/{app}/events',
    outcomes: ownersOnly(STREAM, APP_HIDDEN),
  },
  {
    service: 'monitoring',
    route: 'GET /monitoring/v1/tasks/{id}/stream',
    outcomes: ownersOnly(STREAM, TASK_HIDDEN),
  },
  {
    service: 'monitoring',
    route: 'GET /monitoring/v1/stream',
    query: `topics=status:${APP},events:${APP}`,
    outcomes: ownersOnly(STREAM, APP_HIDDEN),
  },
  { service: 'monitoring', route: 'POST /monitoring/v1/stream-tickets', outcomes: everyone(ok(201)) },

  ...rootRoutes('summary'),
  // A list is filtered to what the caller may see: nobody is refused it.
  { service: 'summary', route: 'GET /summary/v1/apps', outcomes: everyone(ok()) },
  { service: 'summary', route: 'GET /summary/v1/apps/{app}', outcomes: ownersOnly(ok(), APP_HIDDEN) },
  {
    service: 'summary',
    route: 'GET /summary/v1/stats',
    outcomes: {
      "member of the app's team": error(403, 'ADMIN_ONLY'),
      admin: ok(),
      'member of another team': error(403, 'ADMIN_ONLY'),
    },
  },
  { service: 'summary', route: 'GET /summary/v1/stream', outcomes: everyone(STREAM) },
  { service: 'summary', route: 'POST /summary/v1/stream-tickets', outcomes: everyone(ok(201)) },
];

/** The outcome a rule sets for a case: the seven bad tokens are refused before any route logic. */
export function expected(rule: Rule, which: Case): Outcome {
  if (rule.outcomes === 'public') return ok();
  switch (which) {
    case 'no token':
      return error(401, 'UNAUTHENTICATED');
    case 'malformed':
    case 'bad signature':
    case 'expired':
    case 'no exp':
    case 'wrong audience':
    case 'wrong issuer':
      return error(401, 'INVALID_TOKEN');
    case 'wildcard team claim':
      return rule.outcomes['wildcard team claim'] ?? rule.outcomes['member of another team'];
    case 'member of another team':
    case "member of the app's team":
    case 'admin':
      return rule.outcomes[which];
  }
}
