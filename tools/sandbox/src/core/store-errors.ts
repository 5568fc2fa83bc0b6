/**
 * Failures of the object store, shaped like Kubernetes Status reasons so every API front-end
 * (Kubernetes, Argo Workflows, Argo CD) can translate them into its own wire errors.
 */
export type StoreErrorReason =
  'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'Expired' | 'BadRequest' | 'TooLarge';

export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    readonly details: { name?: string; kind?: string; group?: string } = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }

  get code(): number {
    switch (this.reason) {
      case 'NotFound':
        return 404;
      case 'AlreadyExists':
      case 'Conflict':
        return 409;
      case 'Invalid':
        return 422;
      case 'Expired':
        return 410;
      case 'BadRequest':
        return 400;
      case 'TooLarge':
        return 504;
    }
  }
}
