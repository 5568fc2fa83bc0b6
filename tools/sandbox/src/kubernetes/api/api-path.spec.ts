import { Kinds } from '../../core/resource-kinds';
import { parseApiPath } from './api-path';

describe(parseApiPath.name, () => {
  test.each([
    ['/api/v1/namespaces/a/pods', { kind: Kinds.Pod, namespace: 'a', name: undefined }],
    ['/api/v1/namespaces/a/pods/p/log', { kind: Kinds.Pod, namespace: 'a', name: 'p', subresource: 'log' }],
    ['/api/v1/pods', { kind: Kinds.Pod, namespace: undefined, name: undefined }],
    ['/api/v1/namespaces', { kind: Kinds.Namespace, name: undefined }],
    ['/api/v1/namespaces/a', { kind: Kinds.Namespace, name: 'a' }],
    ['/api/v1/namespaces/a/status', { kind: Kinds.Namespace, name: 'a', subresource: 'status' }],
    [
      '/apis/apps/v1/namespaces/a/deployments/d/status',
      { kind: Kinds.Deployment, namespace: 'a', name: 'd', subresource: 'status' },
    ],
    ['/apis/argoproj.io/v1alpha1/workflows', { kind: Kinds.Workflow, namespace: undefined }],
    ['/api/v1/watch/namespaces/a/pods', { kind: Kinds.Pod, namespace: 'a', watchPrefix: true }],
  ])('%s', (path, expected) => expect(parseApiPath(path)).toMatchObject({ type: 'resource', ...expected }));

  test.each([
    '/api/v2/pods',
    '/api/v1/pods/p',
    '/api/v1/namespaces/a/pods/p/exec',
    '/api/v1/namespaces/a/deployments',
    '/apis/apps/v2/deployments',
    '/apis/unknown.io/v1/things',
    '/api/v1/namespaces/a/pods/p/log/extra',
    '/metrics',
  ])('%s is not served', (path) => expect(parseApiPath(path)).toBeUndefined());
});
