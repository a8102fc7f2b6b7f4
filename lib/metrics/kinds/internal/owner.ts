/**
 * Ownership tokens of copy-on-write states. A state owns the nodes whose `o` equals its own `o`: it may
 * mutate them in place. `fork` gives a state a new token, so every node it shares with its original
 * becomes foreign to it and is copied before its first write; the original is never written again.
 * (Internal to the kinds: not exported from the package entry points.)
 */
let nextOwner = 1;

/** A fresh ownership token. */
export function newOwner(): number {
  return nextOwner++;
}
