import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { readJson, type Handler, type Params, type Router } from '../core/http-kit';
import type { SandboxContext } from '../core/sandbox-context';
import { FieldFilter } from './field-filter';
import { GatewayStream, type GatewayStreamOptions } from './gateway-stream';
import { codeFromHttpStatus, GrpcCode, GrpcError, toGrpcError } from './grpc-status';
import { sendUnary, sendUnaryError, type ErrorBodyStyle } from './unary-response';

/** Whoever the server's authentication says is calling. */
export interface Caller {
  /** The user name (shown in events and operations). */
  user: string;
}

/** One API call as a handler sees it. */
export interface GatewayCall<C extends Caller = Caller> {
  req: IncomingMessage;
  res: ServerResponse;
  params: Params;
  query: URLSearchParams;
  /** The authenticated user name ('' on public routes). */
  user: string;
  /** The authenticated caller (undefined on public routes). */
  caller: C | undefined;
  /** The JSON request body (undefined when empty); bad JSON is InvalidArgument. */
  body: () => Promise<unknown>;
}

export interface GatewaySetup<C extends Caller = Caller> {
  ctx: SandboxContext;
  upstream: 'argo' | 'argocd';
  errorStyle: ErrorBodyStyle;
  /** Resolves the caller or throws an Unauthenticated GrpcError. */
  authenticate(req: IncomingMessage): Promise<C>;
}

export interface UnaryOptions {
  /** The endpoint's forwarder honours `fields=` (only some do on the real servers). */
  fields?: boolean;
  /** No authentication (login). */
  public?: boolean;
}

export type StreamOptions = Pick<GatewayStreamOptions, 'dedupKey' | 'maxBacklog'>;

/**
 * What both Argo servers share around their handlers: fault injection (latency, error rate),
 * authentication, error rendering and the stream writer, so each route only holds its logic.
 */
export class Gateway<C extends Caller = Caller> {
  constructor(private readonly setup: GatewaySetup<C>) {}

  unary(handler: (call: GatewayCall<C>) => Promise<unknown>, options: UnaryOptions = {}): Handler {
    return async (req, res, params, query) => {
      const { faults } = this.setup.ctx;
      try {
        await faults.delay(this.setup.upstream);
        if (faults.shouldFail(this.setup.upstream))
          throw injectedError(faults.get(this.setup.upstream).errorCode);
        const caller = options.public === true ? undefined : await this.setup.authenticate(req);
        const result = await handler(this.call(req, res, params, query, caller));
        sendUnary(res, result, options.fields === true ? FieldFilter.fromQuery(query) : undefined);
      } catch (error) {
        sendUnaryError(res, toGrpcError(error), this.setup.errorStyle);
      }
    };
  }

  /**
   * A server-streaming endpoint. The handler subscribes, sends through the stream and ends or
   * fails it; whatever it throws becomes the stream's error frame.
   */
  stream(
    handler: (call: GatewayCall<C>, stream: GatewayStream) => void | Promise<void>,
    options: StreamOptions = {},
  ): Handler {
    return async (req, res, params, query) => {
      const { ctx, upstream } = this.setup;
      const stream = new GatewayStream(req, res, {
        upstream,
        keepaliveMs: ctx.config.keepaliveMs,
        faults: ctx.faults,
        filter: FieldFilter.fromQuery(query),
        ...options,
      });
      try {
        await ctx.faults.delay(upstream);
        const caller = await this.setup.authenticate(req);
        if (!stream.open) return;
        await handler(this.call(req, res, params, query, caller), stream);
        stream.track();
      } catch (error) {
        stream.fail(toGrpcError(error));
      }
    };
  }

  private call(
    req: IncomingMessage,
    res: ServerResponse,
    params: Params,
    query: URLSearchParams,
    caller: C | undefined,
  ): GatewayCall<C> {
    return { req, res, params, query, user: caller?.user ?? '', caller, body: () => readJson(req) };
  }
}

/**
 * A request listener dispatching through `router`; `unmatched` answers paths no route serves
 * (each real server does that differently).
 */
export function listenerFor(
  router: Router,
  unmatched: (req: IncomingMessage, res: ServerResponse) => void,
): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    let match: ReturnType<Router['match']>;
    try {
      match = router.match(req.method ?? 'GET', url.pathname);
    } catch {
      // A malformed %-escape in a path parameter: the real muxes do not match such paths either.
      match = undefined;
    }
    if (match === undefined || match === 'method') {
      unmatched(req, res);
      return;
    }
    Promise.resolve(match.handler(req, res, match.params, url.searchParams)).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
}

function injectedError(errorCode: number | undefined): GrpcError {
  let code: GrpcCode = GrpcCode.Internal;
  // The admin API may give a gRPC code (1..16) or an HTTP status.
  if (errorCode !== undefined && errorCode >= 1 && errorCode <= 16) code = errorCode as GrpcCode;
  else if (errorCode !== undefined) code = codeFromHttpStatus(errorCode);
  return new GrpcError(code, 'sandbox: injected fault');
}
