export { FieldFilter } from './field-filter';
export {
  Gateway,
  listenerFor,
  type Caller,
  type GatewayCall,
  type GatewaySetup,
  type StreamOptions,
  type UnaryOptions,
} from './gateway';
export { GatewayStream, type GatewayStreamOptions } from './gateway-stream';
export { codeFromHttpStatus, GrpcCode, GrpcError, httpStatusFromCode, toGrpcError } from './grpc-status';
export { sendUnary, sendUnaryError, unaryErrorBody, type ErrorBodyStyle } from './unary-response';
export { parseBool, parseOptionalInt } from './query-params';
