import { createContext } from '../../src/core/create-context';
import type { SandboxContext } from '../../src/core/sandbox-context';
import { registryHandler } from '../../src/registry/registry.server';
import { serve } from '../../src/testing/serve';
import { runSequence, type Observation } from './distribution-sequence';
import { hasDockerRegistry, startRealRegistry, type RealRegistry } from '../../src/testing/real-registry';

/** How many calls {@link runSequence} makes. */
const CALLS = 62;

/**
 * The sandbox registry without auth against Debian's docker-registry (the CNCF distribution
 * registry 2.8): the same calls get the same statuses, headers, bodies and digests.
 */
const SUITE = 'sandbox registry vs docker-registry (distribution 2.8)';

(hasDockerRegistry(SUITE) ? describe : describe.skip)(SUITE, () => {
  let real: RealRegistry;
  let ctx: SandboxContext;
  let sandbox: { url: string; close(): Promise<void> };
  let expected: Observation[];
  let actual: Observation[];

  beforeAll(async () => {
    real = await startRealRegistry();
    ctx = createContext({ registryAuth: 'none' });
    sandbox = await serve(registryHandler(ctx));
    ctx.urls.registry = sandbox.url;
    expected = await runSequence(real.url);
    actual = await runSequence(sandbox.url);
  }, 60_000);
  afterAll(async () => {
    await sandbox.close();
    await real.stop();
  });

  it('makes the same calls', () => {
    expect(expected).toHaveLength(CALLS);
    expect(actual.map((o) => o.step)).toEqual(expected.map((o) => o.step));
  });

  it.each(Array.from({ length: CALLS }, (_, i) => i))('answers call %i as distribution does', (i) => {
    expect(actual[i]).toEqual(expected[i]);
  });
});
