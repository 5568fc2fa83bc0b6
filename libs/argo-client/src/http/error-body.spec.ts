import { parseErrorText } from './error-body';

describe(parseErrorText.name, () => {
  it.each([
    [
      '{"code":5,"message":"workflows.argoproj.io \\"x\\" not found"}',
      5,
      'workflows.argoproj.io "x" not found',
    ],
    ['{"error":"permission denied","code":7,"message":"permission denied"}', 7, 'permission denied'],
    [
      'data: {"error":{"grpc_code":3,"http_code":400,"message":"too old resource version","http_status":"Bad Request"}} \n\n\n',
      3,
      'too old resource version',
    ],
    [
      'token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/',
      undefined,
      'token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/',
    ],
  ])('reads %s', (text, grpcCode, message) => {
    expect(parseErrorText(text)).toEqual({ grpcCode, message });
  });
});
