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
    // Gitea/Forgejo API v1
    [
      '{"message":"The repository with the same name already exists.","url":"https://git.example.com/api/swagger"}\n',
      undefined,
      'The repository with the same name already exists.',
    ],
    // GitLab API v4: a plain message, field validation errors, an OAuth-style token refusal
    ['{"message":"404 Project Not Found"}', undefined, '404 Project Not Found'],
    [
      '{"message":{"name":["has already been taken"],"path":["has already been taken"]}}',
      undefined,
      'name has already been taken; path has already been taken',
    ],
    [
      '{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}',
      undefined,
      'Token was revoked. You have to re-authorize from the user.',
    ],
  ])('reads %s', (text, grpcCode, message) => {
    expect(parseErrorText(text)).toEqual({ grpcCode, message });
  });
});
