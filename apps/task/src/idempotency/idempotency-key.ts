import type { Task } from '@platform/domain';
import { InvalidRequestError } from '@platform/errors';
import type { FastifyReply } from 'fastify';
import type { Accepted } from './idempotent-submissions';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

// Printable ASCII without spaces, as clients generate them (UUIDs, ULIDs, "deploy-42").
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's Idempotency-Key, undefined when absent, 400 when it is not a usable key. */
export function idempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !KEY.test(key)) {
    throw new InvalidRequestError(
      'INVALID_IDEMPOTENCY_KEY',
      'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces (a UUID works)',
      { header: 'Idempotency-Key' },
    );
  }
  return key;
}

/** How the OpenAPI document describes the header on every POST. */
export const IDEMPOTENCY_DOC = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Send the same key to retry safely: the same key and body return the same task; another body is 409',
};

/** The task of an accepted request; a repeat of an earlier one is marked `Idempotent-Replayed`. */
export function replied(reply: FastifyReply, { task, replayed }: Accepted): Task {
  if (replayed) void reply.header('idempotent-replayed', 'true');
  return task;
}
