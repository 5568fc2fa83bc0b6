import type { ServerResponse } from 'node:http';
import { sendJson } from '../core/http-kit';

export interface FieldProblem {
  field: string;
  message: string;
}

/** An error the admin API answers with `{"error": {"code", "message", "details"?}}`. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AdminError';
  }

  static invalid(problems: FieldProblem[]): AdminError {
    const message = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    return new AdminError(400, 'VALIDATION_FAILED', message, { fields: problems });
  }

  static notFound(message: string): AdminError {
    return new AdminError(404, 'NOT_FOUND', message);
  }
}

export function sendError(res: ServerResponse, error: AdminError): void {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
    },
  };
  sendJson(res, error.status, body);
}

/** Collects every bad field of a request body, then throws them all at once. */
export class FieldChecker {
  private readonly problems: FieldProblem[] = [];

  constructor(
    readonly body: Record<string, unknown>,
    known: readonly string[],
  ) {
    for (const field of Object.keys(body)) {
      if (!known.includes(field)) this.problem(field, `unknown field; expected one of ${known.join(', ')}`);
    }
  }

  problem(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  number(
    field: string,
    min: number,
    max: number,
    options: { integer?: boolean; required?: boolean } = {},
  ): number | undefined {
    const value = this.body[field];
    if (value === undefined) {
      if (options.required === true) this.problem(field, 'is required');
      return undefined;
    }
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
    if (!ok || (options.integer === true && !Number.isInteger(value))) {
      this.problem(
        field,
        `must be ${options.integer === true ? 'an integer' : 'a number'} from ${min} to ${max}`,
      );
      return undefined;
    }
    return value;
  }

  boolean(field: string, required = false): boolean | undefined {
    const value = this.body[field];
    if (value === undefined) {
      if (required) this.problem(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'boolean') this.problem(field, 'must be true or false');
    return typeof value === 'boolean' ? value : undefined;
  }

  string(field: string, pattern: RegExp, hint: string, required = false): string | undefined {
    const value = this.body[field];
    if (value === undefined) {
      if (required) this.problem(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.problem(field, hint);
      return undefined;
    }
    return value;
  }

  strings(
    field: string,
    pattern: RegExp,
    hint: string,
    options: { required?: boolean; max?: number } = {},
  ): string[] | undefined {
    const value = this.body[field];
    if (value === undefined) {
      if (options.required === true) this.problem(field, 'is required');
      return undefined;
    }
    const max = options.max ?? 1000;
    if (
      !Array.isArray(value) ||
      value.length > max ||
      !value.every((v) => typeof v === 'string' && pattern.test(v))
    ) {
      this.problem(field, `must be a list of at most ${max} strings, each ${hint}`);
      return undefined;
    }
    return value as string[];
  }

  /** Throws every problem found so far (400 VALIDATION_FAILED). */
  done(): void {
    if (this.problems.length > 0) throw AdminError.invalid(this.problems);
  }
}

/** The body as a JSON object, or a 400 naming what was sent instead. */
export function objectBody(body: unknown, optional = false): Record<string, unknown> {
  if (body === undefined && optional) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AdminError(400, 'BAD_REQUEST', 'the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
