import fc from 'fast-check';
import { Backoff } from './backoff';

describe(Backoff.name, () => {
  it('waits between half and all of a ceiling that doubles from initialMs up to maxMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 40 }),
        (initialMs, extra, attempts) => {
          const maxMs = initialMs + extra;
          const backoff = new Backoff({ initialMs, maxMs });
          for (let attempt = 0; attempt < attempts; attempt += 1) {
            const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
            const ms = backoff.next();
            expect(ms).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
            expect(ms).toBeLessThanOrEqual(ceiling);
          }
        },
      ),
    );
  });

  it('starts from initialMs again after reset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 20 }),
        (initialMs, failures) => {
          const backoff = new Backoff({ initialMs, maxMs: initialMs * 1024 });
          for (let i = 0; i < failures; i += 1) backoff.next();
          backoff.reset();
          expect(backoff.next()).toBeLessThanOrEqual(initialMs);
        },
      ),
    );
  });
});
