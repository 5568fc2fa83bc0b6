import { GrpcCode, grpcCodeName } from './grpc-codes';

describe('grpcCodeName', () => {
  it.each([
    [GrpcCode.NotFound, 'NotFound'],
    [GrpcCode.Unauthenticated, 'Unauthenticated'],
    [GrpcCode.OutOfRange, 'OutOfRange'],
    [GrpcCode.OK, 'OK'],
  ])('names code %i as grpc-go prints it: %s', (code, name) => {
    expect(grpcCodeName(code)).toBe(name);
  });

  it('prints a code grpc-go does not know as Code(n), as its String() does', () => {
    expect(grpcCodeName(42)).toBe('Code(42)');
  });
});
