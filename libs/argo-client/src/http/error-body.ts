import type { IncomingMessage } from 'node:http';
import { GrpcGatewayStreamParser } from '../sse/grpc-gateway-stream-parser';

const MAX_ERROR_BODY = 64 * 1024;

/**
 * Reads the body of a failed response. grpc-gateway answers a stream that failed before its first
 * event with the error's HTTP status but an SSE body (`data: {"error":...}`); unary calls answer
 * `{"code","message"}`. Both come back as a grpc code and a message.
 */
export async function readErrorBody(res: IncomingMessage): Promise<{ grpcCode?: number; message: string }> {
  let text = '';
  for await (const chunk of res as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length > MAX_ERROR_BODY) break;
  }
  res.destroy();
  return parseErrorText(text);
}

/** The grpc code and message of an error body, whether stream-framed or unary. */
export function parseErrorText(text: string): { grpcCode?: number; message: string } {
  try {
    const parser = new GrpcGatewayStreamParser<unknown>();
    for (const message of [...parser.push(text), ...parser.end()]) {
      if (message.kind === 'error')
        return { grpcCode: message.error.grpc_code, message: message.error.message ?? '' };
    }
  } catch {
    // not a stream body: fall through to the unary shape
  }
  try {
    const body = JSON.parse(text) as {
      code?: unknown;
      message?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    return {
      grpcCode: typeof body.code === 'number' ? body.code : undefined,
      message:
        typeof body.message === 'string'
          ? body.message
          : (fieldMessages(body.message) ?? errorMessage(body.error, body.error_description)),
    };
  } catch {
    return { message: text.trim().slice(0, 500) };
  }
}

/** GitLab's validation errors, `"message": {"name": ["has already been taken"], ...}`, as one line. */
function fieldMessages(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const lines = Object.entries(message as Record<string, unknown>).flatMap(([field, problems]) =>
    (Array.isArray(problems) ? problems : [problems]).map((p) => `${field} ${String(p)}`),
  );
  return lines.length === 0 ? undefined : lines.join('; ');
}

/** `"error": "text"` (Argo CD), with GitLab's OAuth `"error_description"` when there is one. */
function errorMessage(error: unknown, description: unknown): string {
  if (typeof description === 'string' && description !== '') return description;
  return typeof error === 'string' ? error : '';
}
