import type { IncomingMessage } from 'node:http';
import { Observable } from 'rxjs';
import { GrpcGatewayStreamParser } from '../sse/grpc-gateway-stream-parser';
import { upstreamError, type UpstreamName } from '../http/upstream-errors';

/**
 * A finite stream (logs, one-shot reads): every `result` in order, completing when the body ends
 * or `isLast(result)` says so, failing with a named error on an error frame. Unsubscribing
 * closes the connection.
 */
export function streamResults<R>(
  upstream: UpstreamName,
  open: (signal: AbortSignal) => Promise<IncomingMessage>,
  isLast: (result: R) => boolean = () => false,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    const controller = new AbortController();
    const parser = new GrpcGatewayStreamParser<R>();
    let response: IncomingMessage | undefined;
    open(controller.signal).then(
      (res) => {
        response = res;
        if (subscriber.closed) return void res.destroy();
        res.on('data', (chunk: Buffer) => {
          try {
            for (const message of parser.push(chunk)) {
              if (message.kind === 'result') {
                subscriber.next(message.result);
                if (isLast(message.result)) return subscriber.complete();
              } else if (message.kind === 'error') {
                const e = message.error;
                return subscriber.error(
                  upstreamError(upstream, e.http_code, e.grpc_code, e.message ?? 'stream failed'),
                );
              } else if (message.kind === 'empty') {
                return subscriber.error(
                  upstreamError(upstream, 500, undefined, 'stream failed (empty error frame)'),
                );
              }
            }
          } catch (error) {
            subscriber.error(error);
          }
        });
        res.on('end', () => subscriber.complete());
        res.on('error', (error) => subscriber.error(error));
      },
      (error: unknown) => subscriber.error(error),
    );
    // Before the response: abort the request. After: destroy the socket quietly (an abort would
    // raise an AbortError on a response nobody listens to any more).
    return () => (response === undefined ? controller.abort() : response.destroy());
  });
}
