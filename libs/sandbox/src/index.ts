export { createContext, DEFAULT_CONFIG } from './core/create-context';
export type { SandboxContext, SandboxConfig, SandboxUrls } from './core/sandbox-context';
export { ObjectStore } from './core/object-store';
export { Kinds, type ResourceKind } from './core/resource-kinds';
export type { KubeObject, ObjectMeta } from './core/kube-object';
export type { FaultConfig, Upstream } from './core/faults';
export { kubeApiHandler, writeKubeconfig, type KubeApiOptions } from './kube-api';
export { serve } from './testing/serve';
