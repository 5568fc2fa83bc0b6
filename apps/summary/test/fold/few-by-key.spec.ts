import fc from 'fast-check';
import { FewByKey } from '../../src/fold/few-by-key';

describe(FewByKey.name, () => {
  it('answers like a Map for any sequence of sets, deletes and clears', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.constantFrom('a', 'b', 'c', 'd'),
        value: fc.integer(),
      }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom('a', 'b', 'c', 'd') }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const few = new FewByKey<number>();
        const map = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            few.set(o.key, o.value);
            map.set(o.key, o.value);
          } else if (o.kind === 'delete') expect(few.delete(o.key)).toBe(map.delete(o.key));
          else {
            few.clear();
            map.clear();
          }
          expect(few.size).toBe(map.size);
          expect(few.pairs()).toEqual([...map]);
          expect([...few.values()]).toEqual([...map.values()]);
          for (const key of ['a', 'b', 'c', 'd']) expect(few.get(key)).toBe(map.get(key));
        }
      }),
    );
  });

  it('lets a caller delete while going through its pairs', () => {
    const few = new FewByKey<number>();
    for (const [key, value] of Object.entries({ a: 1, b: 2, c: 3 })) few.set(key, value);
    for (const [key, value] of few.pairs()) if (value !== 2) few.delete(key);
    expect(few.pairs()).toEqual([['b', 2]]);
  });
});
