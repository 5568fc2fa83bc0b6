/**
 * A dependency the service needs to answer requests (Redis, an upstream). `check` resolves when
 * the dependency answers and rejects with a message that says what is wrong otherwise.
 */
export abstract class ReadinessIndicator {
  abstract readonly name: string;
  abstract check(): Promise<void>;
}

/** The readiness indicators of one service, gathered for the health controller. */
export class ReadinessIndicators {
  constructor(readonly all: readonly ReadinessIndicator[]) {}
}
