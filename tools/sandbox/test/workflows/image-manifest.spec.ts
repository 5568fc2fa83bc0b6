import { hostProgram } from '../../src/argo-workflows/executors/images/host-programs';
import { IMAGE_MANIFEST, imageFacts } from '../../src/argo-workflows/executors/images/image-manifest';

describe('the image manifest', () => {
  it.each(IMAGE_MANIFEST.map((facts) => [facts.repository, facts] as const))(
    '%s says where its facts come from and has a PATH',
    (_repository, facts) => {
      expect(facts.evidence.length).toBeGreaterThan(0);
      expect(facts.evidence.every((e) => e.length > 20)).toBe(true);
      expect(facts.env.PATH).toMatch(/^\//);
    },
  );

  it.each([
    ['alpine/git:2.45.2', 'alpine/git'],
    ['docker.io/alpine/git:v2.45.2', 'alpine/git'],
    ['curlimages/curl:8.11.0', 'curlimages/curl'],
    ['node:20-alpine', 'node'],
    ['quay.io/argoproj/argocd:v3.5.1', 'argoproj/argocd'],
    ['ghcr.io/osscontainertools/kaniko:v1.28.3', 'osscontainertools/kaniko'],
    ['moby/buildkit:v0.9.3-rootless', 'moby/buildkit'],
    ['debian:bookworm', 'debian'],
    ['library/busybox', 'busybox'],
  ])('knows %s', (image, repository) => expect(imageFacts(image)?.repository).toBe(repository));

  it.each(['node:20', 'moby/buildkit:v0.12.0', 'golang:1.22', 'mysql:8.4'])(
    'does not know %s: another image than the ones it describes',
    (image) => expect(imageFacts(image)).toBeUndefined(),
  );

  it("this machine has every program the platform's steps call: shells, git, curl, node, setpriv", () => {
    for (const program of ['busybox', 'dash', 'git', 'curl', 'node', 'setpriv'])
      expect({ program, path: hostProgram(program) }).toEqual({
        program,
        path: expect.stringMatching(/^\//),
      });
  });

  it("gives alpine's busybox applets their paths and the argocd image dash as sh, no jq", () => {
    const alpine = imageFacts('alpine')?.programs();
    expect(alpine?.get('/bin/sh')).toEqual({ kind: 'busybox', applet: 'sh' });
    expect(alpine?.get('/usr/bin/awk')).toEqual({ kind: 'busybox', applet: 'awk' });
    const argocd = imageFacts('quay.io/argoproj/argocd:v3.5.1')?.programs();
    expect(argocd?.get('/usr/bin/sh')).toEqual({ kind: 'host', name: 'dash' });
    expect(argocd?.get('/usr/local/bin/argocd')).toEqual({ kind: 'emulated', name: 'argocd' });
    expect([...(argocd?.keys() ?? [])].filter((p) => /\/(jq|yq|curl)$/.test(p))).toEqual([]);
  });
});
