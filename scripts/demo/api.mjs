// @ts-check
// The platform API as a portal calls it: JSON requests with the bearer token, errors turned into
// one readable message from the platform's error envelope, and a task's live stream.
import { readSse } from './sse.mjs';

/**
 * @typedef {import('@platform/domain').Task} Task
 * @typedef {import('./sse.mjs').SseEvent} SseEvent
 * @typedef {Omit<RequestInit, 'headers'> & { headers?: Record<string, string> }} JsonInit
 */

export class ApiError extends Error {}

export class PlatformApi {
  /** @param {string} baseUrl the gateway (one origin for every service) @param {string} token */
  constructor(baseUrl, token) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.token = token;
  }

  /** @param {string} path @returns {Promise<unknown>} */
  get(path) {
    return this.request('GET', path);
  }

  /** @param {string} path @param {unknown} body @returns {Promise<unknown>} */
  post(path, body) {
    return this.request('POST', path, body);
  }

  /** @param {string} method @param {string} path @param {unknown} [body] @returns {Promise<unknown>} */
  async request(method, path, body) {
    const res = await this.fetch(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    /** @type {unknown} */
    const json = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) throw new ApiError(`${method} ${path} answered ${res.status}: ${describeError(json, text)}`);
    return json;
  }

  /**
   * The events of a task's stream (monitoring service) until it ends. A dropped connection is
   * resumed from the last event id, so no step change is missed.
   * @param {Task} task
   * @returns {AsyncGenerator<SseEvent>}
   */
  async *taskEvents(task) {
    /** @type {string | undefined} */
    let lastEventId;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const headers = {
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      };
      const res = await this.fetch(task.links.stream, { headers });
      if (!res.ok) {
        const text = await res.text();
        throw new ApiError(
          `GET ${task.links.stream} answered ${res.status}: ${describeError(safeJson(text), text)}`,
        );
      }
      if (res.body === null)
        throw new ApiError(`GET ${task.links.stream} answered ${res.status} without a body`);
      for await (const event of readSse(res.body)) {
        if (event.id !== undefined) lastEventId = event.id;
        yield event;
        if (event.event === 'complete' || event.event === 'upstream-error') return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new ApiError(`the stream of task ${task.id} kept ending before the task finished`);
  }

  /** @param {string} path @param {JsonInit} init */
  async fetch(path, init) {
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${this.token}`, ...init.headers },
      });
    } catch (error) {
      throw new ApiError(
        `cannot reach the platform at ${this.baseUrl} (${reason(error)}); is \`npm start\` running? ` +
          'Set PLATFORM_URL (or --url) to its base URL.',
      );
    }
  }
}

/**
 * A dev token from the sandbox's sign-in, as `npm start` prints one.
 * @param {string} adminUrl
 * @param {string} team
 * @param {{ sub: string, name: string, groups: string[] }} [identity] who the token is of
 * @returns {Promise<string>}
 */
export async function devToken(adminUrl, team, identity = { sub: 'demo', name: 'Demo', groups: [] }) {
  /** @type {Response} */
  let res;
  try {
    res = await fetch(`${adminUrl}/admin/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...identity, teams: [team], ttlSeconds: 3600 }),
    });
  } catch (error) {
    throw new ApiError(
      `cannot reach the sandbox admin API at ${adminUrl} for a token (${reason(error)}); ` +
        'set TOKEN (npm start prints one) or PLATFORM_ADMIN_URL.',
    );
  }
  /** @type {unknown} */
  const body = await res.json();
  if (!res.ok)
    throw new ApiError(`POST ${adminUrl}/admin/token answered ${res.status}: ${describeError(body, '')}`);
  return /** @type {{ token: string }} */ (body).token;
}

/**
 * Why fetch() failed: the network error's code (ECONNREFUSED...) or its message.
 * @param {unknown} error
 */
function reason(error) {
  const failed = /** @type {{ cause?: { code?: string }, message?: string }} */ (error);
  return failed.cause?.code ?? failed.message;
}

/**
 * One line from the platform's error envelope, or the start of the body when it is none.
 * @param {unknown} json
 * @param {string} text
 */
function describeError(json, text) {
  const error = /** @type {{ error?: { code?: string, message?: string } } | undefined} */ (json)?.error;
  if (error?.code !== undefined) return `${error.code}: ${error.message}`;
  return text.slice(0, 300) || '(no body)';
}

/** @param {string} text @returns {unknown} */
function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
