/**
 * A pod that cannot start (a missing secret, an image the sandbox cannot run). A kubelet would
 * keep such a pod waiting; the sandbox fails it at once with the kubelet's message, so the
 * workflow ends instead of hanging.
 */
export class PodSetupError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'PodSetupError';
  }
}
