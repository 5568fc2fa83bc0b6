import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

/** What a kubernetes-models class offers: a type guard on apiVersion/kind, and schema validation. */
export interface ModelClass<T> {
  is(value: unknown): value is T;
  new (data: T): { validate(): void };
}

/** A validator per kind: returns false for objects of other kinds, throws on schema errors. */
function validator<T>(model: ModelClass<T>): (object: unknown) => boolean {
  return (object) => {
    if (!model.is(object)) return false;
    new model(object).validate();
    return true;
  };
}

/** Every kind deploy/ may contain. A kind missing here fails the schema test instead of passing unchecked. */
const VALIDATORS = [
  validator(Deployment),
  validator(HorizontalPodAutoscaler),
  validator(Ingress),
  validator(NetworkPolicy),
  validator(PodDisruptionBudget),
  validator(ClusterRole),
  validator(ClusterRoleBinding),
  validator(Role),
  validator(RoleBinding),
  validator(ConfigMap),
  validator(Namespace),
  validator(Secret),
  validator(Service),
  validator(ServiceAccount),
];

/** Validates one rendered object against the Kubernetes schema of its apiVersion and kind. */
export function validateObject(object: { apiVersion?: unknown; kind?: unknown }): void {
  if (!VALIDATORS.some((validate) => validate(object))) {
    throw new Error(`no schema known for ${String(object.apiVersion)} ${String(object.kind)}`);
  }
}

/** The rendered objects of one kind, typed by their model. */
export function ofKind<T>(objects: readonly unknown[], model: ModelClass<T>): T[] {
  return objects.filter((object): object is T => model.is(object));
}

export {
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  NetworkPolicy,
  PodDisruptionBudget,
  Role,
  RoleBinding,
  Secret,
  Service,
  ServiceAccount,
};
