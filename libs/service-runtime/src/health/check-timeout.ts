/** How long one readiness check may take before it counts as down (the kubelet's probe waits ~1 s more). */
export const READINESS_CHECK_TIMEOUT_MS = 2000;

/** `promise`, or a rejection saying nothing answered within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
