import fc from 'fast-check';
// Internal on purpose: the kinds' persistent vector and its owner tokens.
import {
  emptyVector,
  shareVector,
  vectorForEach,
  vectorGet,
  vectorSet,
  type CowVector,
} from '../../../../lib/metrics/kinds/internal/cowVector.js';
import { newOwner } from '../../../../lib/metrics/kinds/internal/owner.js';

interface Version {
  readonly vector: CowVector;
  readonly owner: number;
  readonly model: Map<number, number>;
}

describe('cowVector', () => {
  it('reads undefined beyond what was set, also past the capacity of a shallow trie', () => {
    const v = emptyVector(newOwner());
    expect(vectorGet(v, 0)).toBeUndefined();
    vectorSet(v, 0, 1, v.root.o);
    expect(vectorGet(v, 32)).toBeUndefined();
    expect(vectorGet(v, 1024)).toBeUndefined();
    expect(vectorGet(v, 2 ** 29)).toBeUndefined();
  });

  it('matches a map model through forks: forked-away versions never change (model-based)', () => {
    const index = fc.oneof(fc.nat(40), fc.nat(1100), fc.nat(40_000));
    const op = fc.oneof(
      fc.record({ kind: fc.constant<'set'>('set'), version: fc.nat(), i: index, value: fc.integer() }),
      fc.record({ kind: fc.constant<'fork'>('fork'), version: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const first = newOwner();
        const versions: Version[] = [{ vector: emptyVector(first), owner: first, model: new Map() }];
        // Only the newest version of each line is written; older ones are frozen, as states are.
        const live = new Set<number>([0]);
        for (const o of ops) {
          const at = o.version % versions.length;
          const version = versions[at]!;
          if (o.kind === 'fork') {
            const owner = newOwner();
            versions.push({ vector: shareVector(version.vector), owner, model: new Map(version.model) });
            live.delete(at);
            live.add(versions.length - 1);
          } else if (live.has(at)) {
            vectorSet(version.vector, o.i, o.value, version.owner);
            version.model.set(o.i, o.value);
          }
        }
        for (const v of versions) {
          for (const [i, value] of v.model) expect(vectorGet(v.vector, i)).toBe(value);
          const seen = new Map<number, number>();
          vectorForEach<number>(v.vector, (i, value) => seen.set(i, value));
          expect(seen).toEqual(v.model);
        }
      }),
      { numRuns: 200 },
    );
  });
});
