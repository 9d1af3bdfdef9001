import type { CodeObject, MarshalValue } from "./marshal-types.js";

/**
 * Structural equality of two marshalled values, references resolved. Byte equality of marshal
 * data is too strict: up to 3.10 the writer sets FLAG_REF only on objects referenced more than
 * once in the writing process (marshal.c w_ref, Py_REFCNT), so the same code marshals
 * differently in two processes. Pairs found equal are remembered, so shared subtrees are
 * compared once; a budget bounds the rest (past it, values count as different).
 */
export function marshalEqual(a: MarshalValue, b: MarshalValue): boolean {
  return new Comparer().values(a, b);
}

class Comparer {
  readonly #done = new Map<object, Set<object>>();

  #budget = MAX_COMPARISONS;

  values(a: MarshalValue, b: MarshalValue): boolean {
    if (a === b || this.#done.get(a)?.has(b) === true) return true;
    if (a.kind !== b.kind || --this.#budget < 0) return false;
    const equal = this.#compare(a, b);
    if (equal) {
      // Only equal pairs are remembered: a set's pairwise search goes on after a mismatch.
      const set = this.#done.get(a) ?? new Set<object>();
      set.add(b);
      this.#done.set(a, set);
    }
    return equal;
  }

  #compare(a: MarshalValue, b: MarshalValue): boolean {
    switch (a.kind) {
      case "none":
      case "stop-iteration":
      case "ellipsis":
        return true;
      case "bool":
      case "int":
      case "str":
        return a.value === (b as typeof a).value;
      case "float":
        return Object.is(a.value, (b as typeof a).value);
      case "complex":
        return Object.is(a.real, (b as typeof a).real) && Object.is(a.imag, (b as typeof a).imag);
      case "bytes":
        return bytesEqual(a.value, (b as typeof a).value);
      case "tuple":
      case "list":
        return this.#lists(a.items, (b as typeof a).items);
      case "set":
      case "frozenset":
        return this.#sets(a.items, (b as typeof a).items);
      case "dict": {
        const other = (b as typeof a).entries;
        return (
          a.entries.length === other.length &&
          a.entries.every(
            ([k, v], i) => this.values(k, other[i]![0]) && this.values(v, other[i]![1]),
          )
        );
      }
      case "code":
        return this.#code(a.code, (b as typeof a).code);
    }
  }

  #lists(a: readonly MarshalValue[], b: readonly MarshalValue[]): boolean {
    return a.length === b.length && a.every((item, i) => this.values(item, b[i]!));
  }

  /**
   * Sets marshal in iteration order, which follows string hashes, which CPython randomises per
   * process (PYTHONHASHSEED): `x in {"a", "b"}` compiles to a frozenset whose order differs
   * from run to run. Scalars are compared sorted; other members pairwise, for small sets only.
   */
  #sets(a: readonly MarshalValue[], b: readonly MarshalValue[]): boolean {
    if (a.length !== b.length) return false;
    const keysA = a.map(scalarKey);
    const keysB = b.map(scalarKey);
    if (keysA.every((key) => key !== undefined) && keysB.every((key) => key !== undefined)) {
      const sortedB = (keysB as string[]).sort();
      return (keysA as string[]).sort().every((key, i) => key === sortedB[i]);
    }
    if (a.length > MAX_PAIRWISE_SET) return this.#lists(a, b);
    const used = new Uint8Array(b.length);
    return a.every((item) => {
      const match = b.findIndex((other, i) => used[i] === 0 && this.values(item, other));
      if (match >= 0) used[match] = 1;
      return match >= 0;
    });
  }

  #code(a: CodeObject, b: CodeObject): boolean {
    return (
      a.argCount === b.argCount &&
      a.posOnlyArgCount === b.posOnlyArgCount &&
      a.kwOnlyArgCount === b.kwOnlyArgCount &&
      a.stackSize === b.stackSize &&
      a.flags === b.flags &&
      a.filename === b.filename &&
      a.name === b.name &&
      a.qualname === b.qualname &&
      a.firstLineNo === b.firstLineNo &&
      bytesEqual(a.bytecode, b.bytecode) &&
      bytesEqual(a.lineTable, b.lineTable) &&
      bytesEqual(a.exceptionTable, b.exceptionTable) &&
      (a.localKinds === undefined
        ? b.localKinds === undefined
        : b.localKinds !== undefined && bytesEqual(a.localKinds, b.localKinds)) &&
      stringsEqual(a.names, b.names) &&
      stringsEqual(a.localNames, b.localNames) &&
      stringsEqual(a.freeVars, b.freeVars) &&
      stringsEqual(a.cellVars, b.cellVars) &&
      this.#lists(a.consts, b.consts)
    );
  }
}

/** Our bound on value comparisons in one call; compiled modules need far fewer. */
const MAX_COMPARISONS = 10_000_000;

/** Our bound on members compared pairwise (quadratic); compiled sets hold at most a few. */
const MAX_PAIRWISE_SET = 256;

/** A string that is equal for equal scalars and differs otherwise; undefined for containers. */
function scalarKey(value: MarshalValue): string | undefined {
  switch (value.kind) {
    case "none":
    case "stop-iteration":
    case "ellipsis":
      return value.kind;
    case "bool":
    case "int":
    case "str":
      return `${value.kind}:${String(value.value)}`;
    case "float":
      return `float:${Object.is(value.value, -0) ? "-0" : String(value.value)}`;
    case "complex":
      return `complex:${String(value.real)},${String(value.imag)}`;
    case "bytes":
      return `bytes:${Buffer.from(value.value).toString("hex")}`;
    default:
      return undefined;
  }
}

function stringsEqual(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
