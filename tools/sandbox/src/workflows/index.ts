export { WorkflowController, type WorkflowControllerOptions } from './workflow-controller';
export { fnv32a, nodeId, podName } from './naming';
export { imageKind, type ImageKind } from './executors/image-kind';
export { IMAGE_MANIFEST, imageFacts } from './images/image-manifest';
export type { ImageFacts, ProgramSource } from './images/image-facts';
export type { NodePhase, NodeStatus, NodeType, WorkflowPhase, WorkflowSpec, WorkflowStatus } from './types';
