/** The error shape every platform service answers with. */
export interface ErrorEnvelope {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * A refusal or failure the platform answered with: the HTTP status, the envelope's code, message
 * and details, and when to retry (`Retry-After`, on 429 and upstream trouble).
 */
export class PlatformApiError extends Error {
  override readonly name = 'PlatformApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
    /** Seconds the service asked to wait before retrying; undefined when it did not say. */
    readonly retryAfterSeconds: number | undefined,
    /** The request's id (`x-request-id`), to quote when asking the platform team about it. */
    readonly requestId: string | undefined,
  ) {
    super(message);
  }

  /** Whether trying again later may succeed: upstream trouble (502, 503, 504) or rate limiting. */
  get retryable(): boolean {
    return this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }

  /** The error a non-2xx response stands for, read from its envelope (or its status alone). */
  static async fromResponse(response: Response): Promise<PlatformApiError> {
    const text = await response.text().catch(() => '');
    const envelope = parseEnvelope(text);
    return new PlatformApiError(
      response.status,
      envelope?.error.code ?? `HTTP_${response.status}`,
      envelope?.error.message ?? (text.trim().slice(0, 200) || `HTTP ${response.status}`),
      envelope?.error.details,
      retryAfterSeconds(response.headers.get('retry-after')),
      response.headers.get('x-request-id') ?? undefined,
    );
  }
}

function parseEnvelope(text: string): ErrorEnvelope | undefined {
  try {
    const body = JSON.parse(text) as Partial<ErrorEnvelope> | null;
    const error = body?.error;
    return typeof error?.code === 'string' && typeof error.message === 'string'
      ? (body as ErrorEnvelope)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `Retry-After` as seconds: either a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
