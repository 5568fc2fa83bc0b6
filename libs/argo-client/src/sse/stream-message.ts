/** The error object grpc-gateway puts in a stream frame before it ends the body. */
export interface StreamErrorPayload {
  grpc_code?: number;
  http_code?: number;
  message?: string;
  http_status?: string;
}

/**
 * One parsed message of an Argo Workflows / Argo CD stream, whichever framing carried it.
 * - `result`: a payload
 * - `error`: the server failed the stream (the body ends after it)
 * - `empty`: `data: {}`, which is how an error arrives when `fields=` filtered it away
 * - `keepalive`: the `:` comment line (SSE mode only)
 */
export type StreamMessage<T> =
  | { kind: 'result'; result: T }
  | { kind: 'error'; error: StreamErrorPayload }
  | { kind: 'empty' }
  | { kind: 'keepalive' };
