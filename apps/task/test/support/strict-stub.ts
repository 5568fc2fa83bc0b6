/**
 * A typed stand-in that has only the members a test gives it: using any other throws, naming it,
 * so a unit test fails on a call it did not plan for instead of on an `undefined` later.
 */
export function strictStub<T extends object>(name: string, members: Partial<T> = {}): T {
  return new Proxy(members, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      // Asked by await and by jest's printing: an object without them is no promise, no matcher.
      if (typeof key === 'symbol' || key === 'then' || key === 'asymmetricMatch') return undefined;
      throw new Error(`${name}.${key} was used but not stubbed`);
    },
  }) as T;
}
