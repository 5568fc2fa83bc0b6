export { WorkflowController, type WorkflowControllerOptions } from './workflow-controller';
export { fnv32a, nodeId, podName } from './naming';
export { imageKind, SHELL_IMAGES, type ImageKind } from './executors/image-kind';
export type { NodePhase, NodeStatus, NodeType, WorkflowPhase, WorkflowSpec, WorkflowStatus } from './types';
