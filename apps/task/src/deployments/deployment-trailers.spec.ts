import { deploymentOf } from './deployment-trailers';

const REPOSITORY = 'registry.example.com/payments/shop';

describe(deploymentOf.name, () => {
  it.each([
    [
      'a deploy',
      'Deploy shop abc123 to dev\n\nPlatform-Environment: dev\nPlatform-Image: abc123\nPlatform-Image-Digest: sha256:1\nPlatform-Reason: deploy\nPlatform-Origin:\nPlatform-Requested-By: alice\nPlatform-Task: shop-cd-x\n',
      {
        reason: 'deploy',
        tag: 'abc123',
        image: `${REPOSITORY}:abc123`,
        digest: 'sha256:1',
        origin: null,
        requestedBy: 'alice',
        task: 'shop-cd-x',
      },
    ],
    [
      'a rollback',
      'Roll back shop in prod to abc123 (deploy 0f0f)\n\nPlatform-Image: abc123\nPlatform-Image-Digest: sha256:1\nPlatform-Reason: rollback\nPlatform-Origin: 0f0f\nPlatform-Requested-By: bob\nPlatform-Task: shop-cd-y',
      { reason: 'rollback', origin: '0f0f', requestedBy: 'bob' },
    ],
    [
      'a commit made by hand',
      'bump replicas\n',
      {
        reason: null,
        image: null,
        tag: null,
        digest: null,
        requestedBy: null,
        task: null,
        summary: 'bump replicas',
      },
    ],
    [
      'a hand-written commit that forges an unknown reason',
      'x\n\nPlatform-Reason: hotfix\nPlatform-Requested-By: mallory',
      { reason: null, requestedBy: null },
    ],
  ])('reads %s', (_, message, expected) => {
    expect(
      deploymentOf({ sha: 'c0ffee', message, committedAt: '2026-12-06T10:00:00Z' }, 'dev', REPOSITORY),
    ).toMatchObject({
      environment: 'dev',
      manifestsCommit: 'c0ffee',
      committedAt: '2026-12-06T10:00:00Z',
      ...expected,
    });
  });
});
