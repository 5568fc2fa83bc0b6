import type { ObjectStore } from '../../../core/object-store';
import { Kinds } from '../../../core/resource-kinds';
import { admitServiceAccount } from '../../../kubernetes/controllers/service-account-admission';
import type { Template, WorkflowSpec } from '../../workflow-types';

/** The annotation that names an account's token Secret for Argo (workflow/common/common.go). */
const TOKEN_NAME_ANNOTATION = 'workflows.argoproj.io/service-account-token.name';

/**
 * Argo's setupServiceAccount (workflow/controller/workflowpod.go) and the API server's answer to
 * the pod create, before the pod exists: with an executor account (the template's, else the
 * workflow's `executor.serviceAccountName`), its token Secret is what the `exec-sa-token` volume
 * mounts into Argo's own containers only; `automountServiceAccountToken: false` without one is
 * refused; the pod's account must exist (ServiceAccount admission). Returns the node's error
 * message, or the executor's token Secret (undefined without an executor account).
 */
export function serviceAccountSetup(
  store: ObjectStore,
  namespace: string,
  spec: WorkflowSpec,
  template: Template,
  podName: string,
): { error: string } | { executorTokenSecret: string | undefined } {
  const automount = template.automountServiceAccountToken ?? spec.automountServiceAccountToken;
  const executor =
    nonEmpty(template.executor?.serviceAccountName) ?? nonEmpty(spec.executor?.serviceAccountName);
  let executorTokenSecret: string | undefined;
  if (executor !== undefined) {
    // getServiceAccountTokenName: a Get of the account; the client's NotFound is the message.
    const account = store.get(Kinds.ServiceAccount, namespace, executor);
    if (account === undefined) return { error: `serviceaccounts "${executor}" not found` };
    const secrets = (account as { secrets?: Array<{ name?: string }> }).secrets;
    executorTokenSecret =
      nonEmpty(secrets?.[0]?.name) ??
      account.metadata.annotations?.[TOKEN_NAME_ANNOTATION] ??
      `${executor}.service-account-token`;
  } else if (automount === false) {
    return {
      error: 'executor.serviceAccountName must not be empty if automountServiceAccountToken is false',
    };
  }
  const admitted = admitServiceAccount(store, namespace, podName, {
    serviceAccountName: nonEmpty(template.serviceAccountName) ?? spec.serviceAccountName,
    ...(automount === false ? { automountServiceAccountToken: false } : {}),
  });
  if ('error' in admitted) return admitted;
  return { executorTokenSecret };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
