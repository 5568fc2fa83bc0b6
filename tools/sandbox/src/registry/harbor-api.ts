import type { IncomingMessage, ServerResponse } from 'node:http';
import { HarborAccountError, type HarborAccounts, type RegistryAction } from './harbor-accounts';
import { basicPrincipal } from './harbor-security';
import { readBody, sendEmpty } from './registry-exchange';
import { HarborError, sendHarborError } from './registry-errors';

interface ProjectBody {
  project_name?: unknown;
  metadata?: { public?: unknown };
}

interface RobotBody {
  name?: unknown;
  level?: unknown;
  permissions?: Array<{
    kind?: unknown;
    namespace?: unknown;
    access?: Array<{ resource?: unknown; action?: unknown }>;
  }>;
}

/**
 * The part of Harbor's REST API (`/api/v2.0`) a platform team uses to onboard a team: create its
 * project (`POST /projects`) and its robot accounts (`POST /robots`, project or system level).
 * Only Harbor's admin may call it; robots get 403, anonymous callers 401, as Harbor answers.
 * Returns false for a path it does not serve.
 */
export async function serveHarborApi(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  accounts: HarborAccounts,
): Promise<boolean> {
  const route = `${req.method ?? 'GET'} ${pathname}`;
  if (route !== 'POST /api/v2.0/projects' && route !== 'POST /api/v2.0/robots') return false;
  const principal = basicPrincipal(req, accounts);
  if (principal.kind === 'anonymous') {
    sendHarborError(res, new HarborError(401, 'UNAUTHORIZED', 'unauthorized'));
    return true;
  }
  if (principal.kind !== 'admin') {
    sendHarborError(res, new HarborError(403, 'FORBIDDEN', 'forbidden'));
    return true;
  }
  let body: unknown;
  try {
    body = JSON.parse(((await readBody(req, 1 << 20)) ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    sendHarborError(res, new HarborError(400, 'BAD_REQUEST', 'invalid request body: not JSON'));
    return true;
  }
  try {
    if (route === 'POST /api/v2.0/projects') createProject(res, accounts, body as ProjectBody);
    else createRobot(res, accounts, body as RobotBody);
  } catch (error) {
    if (!(error instanceof HarborAccountError)) throw error;
    sendHarborError(res, new HarborError(error.status, error.code, error.message));
  }
  return true;
}

function createProject(res: ServerResponse, accounts: HarborAccounts, body: ProjectBody): void {
  const name = typeof body.project_name === 'string' ? body.project_name : '';
  const project = accounts.createProject(name, { public: body.metadata?.public === 'true' });
  sendEmpty(res, 201, { Location: `/api/v2.0/projects/${project.name}` });
}

function createRobot(res: ServerResponse, accounts: HarborAccounts, body: RobotBody): void {
  const permissions = (body.permissions ?? []).filter((p) => p.kind === 'project');
  const actions = [
    ...new Set(
      permissions.flatMap((p) =>
        (p.access ?? [])
          .filter((a) => a.resource === 'repository')
          .map((a) => a.action)
          .filter((a): a is RegistryAction => a === 'pull' || a === 'push' || a === 'delete'),
      ),
    ),
  ];
  const namespaces = permissions.map((p) => (typeof p.namespace === 'string' ? p.namespace : ''));
  const name = typeof body.name === 'string' ? body.name : '';
  const robot =
    body.level === 'project'
      ? accounts.createRobot({ name, project: namespaces[0] ?? '', actions })
      : accounts.createRobot({ name, namespaces, actions });
  const payload = JSON.stringify({
    id: accountsId(robot.name),
    name: robot.name,
    secret: robot.secret,
    creation_time: new Date().toISOString(),
    expires_at: -1,
  });
  res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** A stable id for the response (Harbor's database id). */
function accountsId(name: string): number {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) % 1_000_000;
  return hash + 1;
}
