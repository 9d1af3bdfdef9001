/** What `marshal` can carry in a code object, as read by `readMarshal`. */
export type MarshalValue =
  | { readonly kind: "none" }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "stop-iteration" }
  | { readonly kind: "ellipsis" }
  | { readonly kind: "int"; readonly value: bigint }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "complex"; readonly real: number; readonly imag: number }
  | { readonly kind: "bytes"; readonly value: Uint8Array }
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "tuple"; readonly items: readonly MarshalValue[] }
  | { readonly kind: "list"; readonly items: readonly MarshalValue[] }
  | { readonly kind: "set"; readonly items: readonly MarshalValue[] }
  | { readonly kind: "frozenset"; readonly items: readonly MarshalValue[] }
  | { readonly kind: "dict"; readonly entries: readonly (readonly [MarshalValue, MarshalValue])[] }
  | { readonly kind: "code"; readonly code: CodeObject };

/**
 * A code object, with the fields of every supported layout. Python 3.11 replaced varnames,
 * cellvars and freevars with `co_localsplusnames` plus a kinds byte string; for those versions
 * `localNames` holds localsplusnames and `cellVars`/`freeVars` are empty.
 */
export interface CodeObject {
  readonly argCount: number;
  /** Python 3.8 and later; 0 before. */
  readonly posOnlyArgCount: number;
  readonly kwOnlyArgCount: number;
  readonly stackSize: number;
  readonly flags: number;
  readonly bytecode: Uint8Array;
  readonly consts: readonly MarshalValue[];
  readonly names: readonly string[];
  /** co_varnames (3.7 to 3.10) or co_localsplusnames (3.11 and later). */
  readonly localNames: readonly string[];
  /** co_localspluskinds (3.11 and later); undefined before. */
  readonly localKinds: Uint8Array | undefined;
  readonly freeVars: readonly string[];
  readonly cellVars: readonly string[];
  readonly filename: string;
  readonly name: string;
  /** co_qualname (3.11 and later); undefined before. */
  readonly qualname: string | undefined;
  readonly firstLineNo: number;
  /** co_lnotab (3.7 to 3.9) or co_linetable (3.10 and later). */
  readonly lineTable: Uint8Array;
  /** co_exceptiontable (3.11 and later); empty before. */
  readonly exceptionTable: Uint8Array;
}
