/** One environment variable that failed validation, and why. */
export interface ConfigProblem {
  key: string;
  problems: string[];
}

/**
 * Thrown at start when the environment does not satisfy a service's config schema. Its message
 * names every bad key at once, so an operator fixes the manifest in one round.
 */
export class ConfigValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration: ${problems.flatMap((p) => p.problems).join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}
