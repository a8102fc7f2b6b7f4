/**
 * Class identity that survives duplicated copies of the library (the ESM and the CommonJS build loaded in
 * one process, or two installed copies): `instanceof` compares constructors, so an error made by one copy
 * is not an instance of the other copy's class. A branded class names itself in a static
 * {@link BRAND_FIELD} string (`'mvx-common/RecorderOverflowError'`), and its `static [Symbol.hasInstance]`
 * calls {@link hasBrandedInstance}, which accepts a value whose prototype chain holds a class with the
 * same brand, from any copy.
 *
 * Why a static string field rather than a `Symbol.for` key on the prototype: bundlers treat a class with a
 * computed (symbol) member key as having side effects and keep it even when unused, while a static field
 * holding a string literal lets unused classes drop out of a bundle.
 * @internal
 */

/** Name of the static field holding a class's brand. @internal */
export const BRAND_FIELD = 'mvxBrand';

/** Bound on the prototype chain walked (a Proxy can fake an endless chain). */
const MAX_DEPTH = 64;

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/** The brand a constructor declares itself (not inherited), or undefined. */
function ownBrand(ctor: unknown): string | undefined {
  if (typeof ctor !== 'function') return undefined;
  const desc = Object.getOwnPropertyDescriptor(ctor, BRAND_FIELD);
  return desc !== undefined && typeof desc.value === 'string' ? desc.value : undefined;
}

/**
 * `value instanceof ctor`, with class identity by brand: true when `value` is an ordinary instance of
 * `ctor`, or when `ctor` declares a brand and a prototype on `value`'s chain belongs to a class declaring
 * the same brand (that class's copy of `ctor`, or a subclass of it). A constructor without a brand of its
 * own (a user's subclass) keeps ordinary `instanceof` semantics. Never throws: a hostile value (a Proxy
 * whose traps throw, an endless prototype chain) is simply not an instance.
 * @internal
 */
export function hasBrandedInstance(
  ctor: abstract new (...args: never[]) => unknown,
  value: unknown,
): boolean {
  try {
    if (ordinaryHasInstance.call(ctor, value)) return true;
  } catch {
    return false;
  }
  const brand = ownBrand(ctor);
  return brand !== undefined && isBranded(value, brand);
}

/**
 * The brand a constructor declares itself, without its `'mvx-common/'` prefix (undefined for a class that
 * declares none, e.g. a user's subclass): the error name that survives minification.
 * @internal
 */
export function brandedName(ctor: unknown): string | undefined {
  const brand = ownBrand(ctor);
  return brand?.startsWith('mvx-common/') ? brand.slice('mvx-common/'.length) : undefined;
}

/**
 * True when `value`'s prototype chain holds a class branded `brand`, from any copy of the library: the
 * check for code that must not import the class itself (so bundles can leave it out).
 * @internal
 */
export function isBranded(value: unknown, brand: string): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    let proto: unknown = Object.getPrototypeOf(value);
    for (let depth = 0; proto !== null && depth < MAX_DEPTH; depth++) {
      const desc = Object.getOwnPropertyDescriptor(proto as object, 'constructor');
      if (desc !== undefined && ownBrand(desc.value) === brand) return true;
      proto = Object.getPrototypeOf(proto);
    }
  } catch {
    return false;
  }
  return false;
}
