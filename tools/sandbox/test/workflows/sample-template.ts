import type { KubeObject } from '../../src/core/kube-object';

/**
 * A WorkflowTemplate exercising what the platform's templates use: workflow parameters with
 * defaults, a shared volume, a git clone/commit/push, a step that fails once then succeeds on
 * retry, a DAG with depends and task outputs, a skipped `when`, global outputs and an exit handler.
 */
export function sampleTemplate(): KubeObject {
  return {
    metadata: { name: 'sample', namespace: 'argo' },
    spec: {
      entrypoint: 'main',
      onExit: 'exit-handler',
      arguments: {
        parameters: [
          { name: 'repo', value: 'http://example.invalid/none.git' },
          { name: 'message', value: 'hello from the template' },
        ],
      },
      volumeClaimTemplates: [{ metadata: { name: 'work' }, spec: { accessModes: ['ReadWriteOnce'] } }],
      templates: [
        {
          name: 'main',
          steps: [
            [
              {
                name: 'clone',
                template: 'clone',
                arguments: { parameters: [{ name: 'url', value: '{{workflow.parameters.repo}}' }] },
              },
            ],
            [
              { name: 'commit', template: 'commit' },
              { name: 'flaky', template: 'flaky' },
            ],
            [
              {
                name: 'build',
                template: 'build',
                arguments: {
                  parameters: [{ name: 'sha', value: '{{steps.commit.outputs.parameters.sha}}' }],
                },
              },
              {
                name: 'never',
                template: 'say',
                when: '{{steps.commit.outputs.parameters.sha}} == nope',
                arguments: { parameters: [{ name: 'text', value: 'x' }] },
              },
            ],
          ],
          outputs: {
            parameters: [
              { name: 'summary', valueFrom: { parameter: '{{steps.build.outputs.parameters.summary}}' } },
            ],
          },
        },
        {
          name: 'clone',
          inputs: { parameters: [{ name: 'url' }] },
          container: {
            image: 'alpine/git:v2.45.2',
            command: ['git'],
            args: ['clone', '{{inputs.parameters.url}}', '/work/repo'],
            volumeMounts: [{ name: 'work', mountPath: '/work' }],
          },
        },
        {
          name: 'commit',
          script: {
            image: 'alpine/git:v2.45.2',
            command: ['sh', '-e'],
            env: [{ name: 'MESSAGE', value: '{{workflow.parameters.message}}' }],
            volumeMounts: [{ name: 'work', mountPath: '/work' }],
            source: [
              'cd /work/repo',
              'echo "$MESSAGE" > message.txt',
              'git add message.txt',
              // The image has no git identity: a commit names its author, as in a real cluster.
              'git -c user.name=sample -c user.email=sample@example.com commit -q -m "add message"',
              'git push -q origin HEAD:main',
              'git rev-parse HEAD > /tmp/sha',
              'echo "pushed $(cat /tmp/sha)"',
            ].join('\n'),
          },
          outputs: {
            parameters: [{ name: 'sha', valueFrom: { path: '/tmp/sha' }, globalName: 'commit-sha' }],
          },
        },
        {
          name: 'flaky',
          retryStrategy: { limit: 2 },
          script: {
            image: 'alpine:3.20',
            command: ['sh'],
            volumeMounts: [{ name: 'work', mountPath: '/work' }],
            source:
              'if [ -f /work/flaky-marker ]; then echo "second time lucky"; else touch /work/flaky-marker; echo "first attempt fails" >&2; exit 3; fi',
          },
        },
        {
          name: 'build',
          inputs: { parameters: [{ name: 'sha' }] },
          dag: {
            tasks: [
              {
                name: 'short',
                template: 'shorten',
                arguments: { parameters: [{ name: 'sha', value: '{{inputs.parameters.sha}}' }] },
              },
              { name: 'greet', template: 'say', arguments: { parameters: [{ name: 'text', value: 'hi' }] } },
              {
                name: 'report',
                template: 'say',
                depends: 'short && greet.Succeeded',
                arguments: { parameters: [{ name: 'text', value: 'built {{tasks.short.outputs.result}}' }] },
              },
            ],
          },
          outputs: {
            parameters: [{ name: 'summary', valueFrom: { parameter: '{{tasks.report.outputs.result}}' } }],
          },
        },
        {
          name: 'shorten',
          inputs: { parameters: [{ name: 'sha' }] },
          script: {
            image: 'node:20-alpine',
            command: ['node'],
            source: 'console.log("{{inputs.parameters.sha}}".slice(0, 7))',
          },
        },
        {
          name: 'say',
          inputs: { parameters: [{ name: 'text' }] },
          script: { image: 'busybox', command: ['sh'], source: 'echo "{{inputs.parameters.text}}"' },
        },
        {
          name: 'exit-handler',
          container: {
            image: 'alpine:3.20',
            command: ['sh', '-c'],
            args: ['echo "{{workflow.name}} ended {{workflow.status}}" | tee /tmp/status'],
          },
          outputs: {
            parameters: [{ name: 'status', valueFrom: { path: '/tmp/status' }, globalName: 'final-status' }],
          },
        },
      ],
    },
  };
}
