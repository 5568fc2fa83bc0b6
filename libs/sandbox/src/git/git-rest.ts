import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson, Router, sendJson } from '../core/http-kit';
import { GitRepositories, RepoExistsError, type RepoInfo } from './git-repositories';
import { branchNameProblem, repoNameProblem } from './repo-name';

/**
 * A repository as the REST API returns it. `cloneUrl` is what `git clone` takes.
 */
export interface RepoResource extends RepoInfo {
  cloneUrl: string;
}

/**
 * Error body of every REST failure:
 * `{"error": {"code": "ALREADY_EXISTS" | "NOT_FOUND" | "INVALID_ARGUMENT" | "UNAUTHENTICATED" | "INTERNAL" | "UNAVAILABLE", "message": "..."}}`,
 * with the matching HTTP status (409, 404, 400, 401, 500, 503). It follows the platform's own
 * error envelope so that clients parse one shape.
 */
export interface GitErrorBody {
  error: { code: string; message: string };
}

export function sendGitError(res: ServerResponse, status: number, code: string, message: string): void {
  const body: GitErrorBody = { error: { code, message } };
  sendJson(res, status, body);
}

/**
 * `POST /api/v1/repos`, `GET /api/v1/repos`, `GET|DELETE /api/v1/repos/{name}`: what a workflow
 * step or a test calls to manage repositories, where git itself has no command for it.
 */
export function gitRestRouter(repos: GitRepositories, baseUrl: (req: IncomingMessage) => string): Router {
  const resource = (req: IncomingMessage, info: RepoInfo): RepoResource => ({
    ...info,
    cloneUrl: `${baseUrl(req)}/${info.name}.git`,
  });
  return new Router()
    .on('GET', '/api/v1/repos', async (req, res) => {
      const items = await repos.list();
      sendJson(res, 200, { items: items.map((info) => resource(req, info)) });
    })
    .on('POST', '/api/v1/repos', async (req, res) => {
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (error) {
        sendGitError(res, 400, 'INVALID_ARGUMENT', `request body is not JSON: ${(error as Error).message}`);
        return;
      }
      const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const problems = [
        repoNameProblem(input.name),
        input.defaultBranch === undefined ? undefined : branchNameProblem(input.defaultBranch),
        input.description === undefined || typeof input.description === 'string'
          ? undefined
          : 'description must be a string',
      ].filter((p): p is string => p !== undefined);
      if (problems.length > 0) {
        sendGitError(res, 400, 'INVALID_ARGUMENT', problems.join('; '));
        return;
      }
      const name = input.name as string;
      try {
        const info = await repos.create(name, {
          description: input.description as string | undefined,
          defaultBranch: input.defaultBranch as string | undefined,
        });
        sendJson(res, 201, resource(req, info), { location: `/api/v1/repos/${name}` });
      } catch (error) {
        if (error instanceof RepoExistsError) sendGitError(res, 409, 'ALREADY_EXISTS', error.message);
        else throw error;
      }
    })
    .on('GET', '/api/v1/repos/:name', async (req, res, params) => {
      const name = params.name ?? '';
      if (repoNameProblem(name) !== undefined || !repos.exists(name)) {
        sendGitError(res, 404, 'NOT_FOUND', `repository "${name}" not found`);
        return;
      }
      sendJson(res, 200, resource(req, await repos.info(name)));
    })
    .on('DELETE', '/api/v1/repos/:name', async (_req, res, params) => {
      const name = params.name ?? '';
      if (repoNameProblem(name) !== undefined || !repos.exists(name)) {
        sendGitError(res, 404, 'NOT_FOUND', `repository "${name}" not found`);
        return;
      }
      await repos.delete(name);
      res.writeHead(204);
      res.end();
    });
}
