import { Kinds, type Sandbox } from '@platform/sandbox';

/** The pods seedApps made for `app` in `namespace`, each with its first container's name. */
export function seededPods(
  sandbox: Sandbox,
  namespace: string,
  app: string,
): Array<{ pod: string; container: string }> {
  return sandbox.ctx.store
    .list(Kinds.Pod, { namespace })
    .items.filter((p) => (p.metadata.name ?? '').startsWith(`${app}-`))
    .map((p) => ({
      pod: p.metadata.name ?? '',
      container: (p.spec as { containers: Array<{ name: string }> }).containers[0]?.name ?? '',
    }));
}
