import type { KubeObject } from '../../core/kube-object';
import type { Watch } from '../../core/object-store';
import { Kinds } from '../../core/resource-kinds';
import type { SandboxContext } from '../../core/sandbox-context';
import { clusterCa, legacyToken } from './service-account-token';

export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const ACCOUNT_NAME = 'kubernetes.io/service-account.name';
const ACCOUNT_UID = 'kubernetes.io/service-account.uid';

/**
 * kube-controller-manager's token controller (pkg/controller/serviceaccount/tokens_controller.go)
 * for the Secrets people still create by hand since 1.24: a Secret of type
 * `kubernetes.io/service-account-token` annotated with its account's name gets `token`, `ca.crt`
 * and `namespace`, and the account's uid as an annotation. A Secret whose account does not exist
 * (or has another uid) is deleted, as is every token Secret of an account that is deleted.
 */
export class TokenController {
  private watches: Watch[] = [];

  constructor(private readonly ctx: SandboxContext) {}

  start(): void {
    if (this.watches.length > 0) return;
    // The watches replay what exists first. Deferred: a listener runs inside the store's write.
    this.watches = [
      this.ctx.store.watch(Kinds.Secret, {}, (event) => {
        if (event.type !== 'DELETED') setImmediate(() => this.sync(event.object));
      }),
      this.ctx.store.watch(Kinds.ServiceAccount, {}, (event) => {
        if (event.type === 'DELETED') setImmediate(() => this.forget(event.object));
      }),
    ];
  }

  stop(): void {
    for (const watch of this.watches) watch.close();
    this.watches = [];
  }

  private sync(observed: KubeObject): void {
    const namespace = observed.metadata.namespace ?? '';
    const name = observed.metadata.name ?? '';
    const secret = this.ctx.store.get(Kinds.Secret, namespace, name);
    if (secret === undefined || secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return;
    const annotations = secret.metadata.annotations ?? {};
    const accountName = annotations[ACCOUNT_NAME] ?? '';
    const account = this.ctx.store.get(Kinds.ServiceAccount, namespace, accountName);
    const wantedUid = annotations[ACCOUNT_UID];
    if (account === undefined || (wantedUid !== undefined && wantedUid !== account.metadata.uid)) {
      this.ctx.store.delete(Kinds.Secret, namespace, name);
      return;
    }
    const data = (secret.data ?? {}) as Record<string, string>;
    if (data.token !== undefined && wantedUid !== undefined) return;
    const uid = account.metadata.uid ?? '';
    const token = legacyToken(
      this.ctx,
      { namespace, serviceAccount: accountName, serviceAccountUid: uid },
      name,
    );
    this.ctx.store.mutate(Kinds.Secret, namespace, name, (s) => {
      s.metadata.annotations = { ...s.metadata.annotations, [ACCOUNT_UID]: uid };
      s.data = {
        ...data,
        token: data.token ?? base64(token),
        'ca.crt': base64(clusterCa(this.ctx)),
        namespace: base64(namespace),
      };
    });
  }

  private forget(account: KubeObject): void {
    const namespace = account.metadata.namespace ?? '';
    for (const secret of this.ctx.store.list(Kinds.Secret, { namespace }).items) {
      if (
        secret.type === SERVICE_ACCOUNT_TOKEN_TYPE &&
        secret.metadata.annotations?.[ACCOUNT_NAME] === account.metadata.name
      ) {
        this.ctx.store.delete(Kinds.Secret, namespace, secret.metadata.name ?? '');
      }
    }
  }
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}
