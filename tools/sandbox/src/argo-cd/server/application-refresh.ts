import { FieldSelector } from '../../core/field-selector';
import type { KubeObject } from '../../core/kube-object';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { GrpcCode, GrpcError, type GatewayCall } from '../../grpc-gateway';
import { REFRESH_ANNOTATION } from '../shared/app-types';

/**
 * `Get` with `refresh`: sets the refresh annotation, then waits until the controller has served it
 * (a newer version of the app without the annotation) and returns that version.
 */
export function refreshAndWait(
  ctx: SandboxContext,
  app: KubeObject,
  type: 'normal' | 'hard',
  call: GatewayCall,
): Promise<KubeObject> {
  const namespace = app.metadata.namespace;
  const name = app.metadata.name ?? '';
  const marked = ctx.store.mutate(Kinds.Application, namespace, name, (a) => {
    a.metadata.annotations = { ...a.metadata.annotations, [REFRESH_ANNOTATION]: type };
  });
  const minVersion = Number(marked.metadata.resourceVersion);
  return new Promise((resolve, reject) => {
    const watch = ctx.store.watch(
      Kinds.Application,
      {
        namespace,
        fieldSelector: FieldSelector.parse(`metadata.name=${name}`),
        resourceVersion: String(minVersion),
      },
      (event) => {
        const served = event.object.metadata.annotations?.[REFRESH_ANNOTATION] === undefined;
        if (Number(event.object.metadata.resourceVersion) > minVersion && served) {
          watch.close();
          resolve(event.object);
        }
      },
    );
    call.res.on('close', () => {
      watch.close();
      reject(new GrpcError(GrpcCode.Unknown, 'application refresh deadline exceeded'));
    });
  });
}
