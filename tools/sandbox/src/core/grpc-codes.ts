/**
 * gRPC status codes (google.golang.org/grpc/codes), as both Argo servers return them in error
 * bodies and stream error frames and as the argocd CLI names them in its messages.
 */
export const GrpcCode = {
  OK: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

const NAMES = new Map<number, string>(Object.entries(GrpcCode).map(([name, code]) => [code, name]));

/**
 * A code's name as grpc-go prints it (`code = NotFound`; google.golang.org/grpc/codes
 * code_string.go); `Code(<n>)` for one it does not know.
 */
export function grpcCodeName(code: number): string {
  return NAMES.get(code) ?? `Code(${code})`;
}
