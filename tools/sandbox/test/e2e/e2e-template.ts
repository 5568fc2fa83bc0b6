/**
 * A WorkflowTemplate doing what the platform's create-app does, with the CLIs a platform team
 * would use: create a private repo in the `e2e` organization over the git server's Gitea API
 * (curl), render the template and push it (git), build and push the image (kaniko), point the
 * chart at it and create + sync an Argo CD app (argocd, which reads the repo with its repo-creds
 * Secret). Parameters reach the scripts only as environment variables; `login` is the git user's
 * `user:password`, which git takes from the URL.
 */
export function e2eTemplate(gitUrl: string, login: string): Record<string, unknown> {
  const env = (...names: string[]) =>
    names.map((name) => ({ name: name.toUpperCase(), value: `{{inputs.parameters.${name}}}` }));
  const inputs = (...names: string[]) => ({ parameters: names.map((name) => ({ name })) });
  return {
    metadata: { name: 'e2e-create' },
    spec: {
      entrypoint: 'main',
      // Steps are separate pods: the source travels from push-source to build on a shared volume.
      volumeClaimTemplates: [
        {
          metadata: { name: 'workspace' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
      arguments: {
        parameters: [
          { name: 'app' },
          { name: 'template', value: 'hello-service' },
          { name: 'git', value: gitUrl },
          { name: 'login', value: login },
        ],
      },
      templates: [
        {
          name: 'main',
          steps: [
            [
              {
                name: 'create-repo',
                template: 'create-repo',
                arguments: { parameters: args('app', 'git', 'login') },
              },
            ],
            [
              {
                name: 'push-source',
                template: 'push-source',
                arguments: { parameters: args('app', 'template', 'git', 'login') },
              },
            ],
            [
              {
                name: 'build',
                template: 'build',
                arguments: {
                  parameters: [
                    ...args('app'),
                    { name: 'tag', value: '{{steps.push-source.outputs.parameters.commit}}' },
                  ],
                },
              },
            ],
            [
              {
                name: 'deploy',
                template: 'deploy',
                arguments: {
                  parameters: [
                    ...args('app', 'git'),
                    { name: 'tag', value: '{{steps.push-source.outputs.parameters.commit}}' },
                  ],
                },
              },
            ],
          ],
        },
        {
          name: 'create-repo',
          inputs: inputs('app', 'git', 'login'),
          script: {
            image: 'curlimages/curl:8.11.0',
            command: ['sh'],
            env: env('app', 'git', 'login'),
            source: [
              'set -e',
              'curl -sSf -u "$LOGIN" -X POST "$GIT/api/v1/orgs/e2e/repos" -H "content-type: application/json" \\',
              '  -d "{\\"name\\":\\"$APP\\",\\"private\\":true}"',
            ].join('\n'),
          },
        },
        {
          name: 'push-source',
          inputs: inputs('app', 'template', 'git', 'login'),
          script: {
            image: 'alpine/git:2.45.2',
            command: ['sh'],
            env: env('app', 'template', 'git', 'login'),
            volumeMounts: [WORKSPACE],
            source: [
              'set -e',
              'signed=$(printf %s "$GIT" | sed "s#://#://$LOGIN@#")',
              'git clone -q "$signed/platform-templates/$TEMPLATE.git" /workspace/src',
              'cd /workspace/src',
              'sed -i "s/__APP__/$APP/g" src/server.js chart/Chart.yaml chart/values.yaml',
              'git -c user.name=platform -c user.email=platform@example.com commit -qam "Create $APP from $TEMPLATE"',
              'git push -q "$signed/e2e/$APP.git" HEAD:main',
              'git rev-parse --short=12 HEAD > /tmp/commit',
            ].join('\n'),
          },
          outputs: { parameters: [{ name: 'commit', valueFrom: { path: '/tmp/commit' } }] },
        },
        {
          name: 'build',
          inputs: inputs('app', 'tag'),
          container: {
            image: 'ghcr.io/osscontainertools/kaniko:v1.28.3',
            // Without a command Argo would have to look kaniko's entrypoint up in its registry.
            command: ['/kaniko/executor'],
            args: [
              '--context=dir:///workspace/src',
              '--dockerfile=Dockerfile',
              '--destination=registry.sandbox.local/e2e/{{inputs.parameters.app}}:{{inputs.parameters.tag}}',
              '--digest-file=/tmp/digest',
            ],
            volumeMounts: [WORKSPACE, { name: 'registry-login', mountPath: '/kaniko/.docker' }],
          },
          // The team's robot login, as a platform team keeps it for its builds.
          volumes: [
            {
              name: 'registry-login',
              secret: {
                secretName: 'platform-registry-e2e',
                items: [{ key: '.dockerconfigjson', path: 'config.json' }],
              },
            },
          ],
          outputs: {
            parameters: [{ name: 'digest', valueFrom: { path: '/tmp/digest' }, globalName: 'digest' }],
          },
        },
        {
          name: 'deploy',
          inputs: inputs('app', 'git', 'tag'),
          script: {
            image: 'quay.io/argoproj/argocd:v3.5.1',
            command: ['sh'],
            env: [
              ...env('app', 'git', 'tag'),
              { name: 'ARGOCD_USERNAME', value: 'platform-workflows' },
              { name: 'ARGOCD_PASSWORD', value: 'sandbox-platform-workflows' },
              // The sandbox Argo CD speaks plain HTTP/1: --plaintext, and gRPC-web.
              { name: 'ARGOCD_OPTS', value: '--plaintext --grpc-web' },
            ],
            source: [
              'set -e',
              'argocd login argocd-server --username "$ARGOCD_USERNAME" --password "$ARGOCD_PASSWORD"',
              'argocd app create "$APP" --repo "$GIT/e2e/$APP.git" --path chart --revision main --dest-server https://kubernetes.default.svc --dest-namespace "$APP" --project e2e --sync-option CreateNamespace=true --helm-set image.tag="$TAG"',
              'argocd app sync "$APP" --timeout 300',
              'argocd app wait "$APP" --health --timeout 300',
            ].join('\n'),
          },
        },
      ],
    },
  };
}

const WORKSPACE = { name: 'workspace', mountPath: '/workspace' };

function args(...names: string[]): Array<{ name: string; value: string }> {
  return names.map((name) => ({ name, value: `{{workflow.parameters.${name}}}` }));
}
