import { GrpcCode, GrpcError } from './grpc-status';

/** A boolean query parameter as grpc-gateway reads it (Go's strconv.ParseBool); absent is false. */
export function parseBool(text: string | null): boolean {
  if (text === null || text === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new GrpcError(
    GrpcCode.InvalidArgument,
    `strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`,
  );
}

/** An integer query parameter (Go's strconv.ParseInt); undefined when absent. */
export function parseOptionalInt(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  if (!/^[+-]?\d+$/.test(text)) {
    throw new GrpcError(
      GrpcCode.InvalidArgument,
      `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`,
    );
  }
  return Number(text);
}
