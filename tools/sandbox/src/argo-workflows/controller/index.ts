export { WorkflowController, type WorkflowControllerOptions } from './workflow-controller';
export { fnv32a, nodeId, podName } from './naming';
export { imageKind, type ImageKind } from '../executors/image-kind';
export { IMAGE_MANIFEST, imageFacts } from '../executors/images/image-manifest';
export type { ImageFacts, ProgramSource } from '../executors/images/image-facts';
export type {
  NodePhase,
  NodeStatus,
  NodeType,
  WorkflowPhase,
  WorkflowSpec,
  WorkflowStatus,
} from '../workflow-types';
