import type { FormatError } from "../format-error.js";
import type { PickleValue } from "./values.js";

export interface PickleLimits {
  /** Opcodes executed in one stream; bounds time and the memory of the symbolic values. */
  readonly maxOpcodes: number;
  /** Values on the stack plus those saved under marks. */
  readonly maxStackDepth: number;
  /** Nested MARKs. */
  readonly maxMarkDepth: number;
  /** Memo entries, and one more than the highest memo index (PUT n makes CPython grow to n). */
  readonly maxMemo: number;
  /** Container items kept for analysis; data past it is counted, not kept (bounds memory). */
  readonly maxRetainedValues: number;
  /** Nested streams (joblib object arrays) inside one stream. */
  readonly maxNesting: number;
}

export const DEFAULT_PICKLE_LIMITS: PickleLimits = Object.freeze({
  maxOpcodes: 50_000_000,
  maxStackDepth: 1_000_000,
  maxMarkDepth: 10_000,
  maxMemo: 8_000_000,
  maxRetainedValues: 500_000,
  maxNesting: 8,
});

export type ImportOpcode = "GLOBAL" | "STACK_GLOBAL" | "INST" | "EXT1" | "EXT2" | "EXT4";

/** A name the unpickler would import (`find_class`). */
export interface PickleImport {
  /** null when the operand was not a literal string (computed at load time). */
  readonly module: string | null;
  readonly name: string | null;
  readonly opcode: ImportOpcode;
  readonly offset: number;
}

export type CallOpcode = "REDUCE" | "NEWOBJ" | "NEWOBJ_EX" | "BUILD" | "INST" | "OBJ";

/** Something the unpickler would call: `callee(*args)`, or `target.__setstate__(args)` for BUILD. */
export interface PickleCall {
  readonly opcode: CallOpcode;
  readonly offset: number;
  /** The callable, or for BUILD the object whose state is set. */
  readonly callee: PickleValue;
  /** The argument tuple, or for BUILD the state. */
  readonly args: PickleValue;
  readonly kwargs?: PickleValue;
}

export type PickleAnomalyCode =
  /** PUT/BINPUT/LONG_BINPUT overwrote an existing memo slot. */
  | "memo-overwrite"
  /** An opcode or its argument crosses the end of a FRAME, or frames overlap. */
  | "frame-violation"
  /** PROTO after the first opcode, or more than once. */
  | "proto-misplaced"
  /** An EXT1/EXT2/EXT4 opcode: the copyreg extension registry is empty by default. */
  | "extension-code"
  /** A call result thrown away by POP or POP_MARK: its only purpose is a side effect. */
  | "discarded-call"
  /** NEXT_BUFFER: out-of-band data the loader must supply. */
  | "out-of-band-buffer"
  /** A STRING/UNICODE/INT style text opcode after PROTO 2+ (never written by CPython). */
  | "text-opcode"
  /** Container items past the retention budget were counted but not kept. */
  | "values-elided";

export interface PickleAnomaly {
  readonly code: PickleAnomalyCode;
  readonly offset: number;
  readonly detail: string;
}

/** A joblib inline array whose bytes were skipped as data. */
export interface InlineArray {
  readonly offset: number;
  readonly length: number;
  readonly dtype: string;
}

/** What one pickle stream would do when loaded, as far as it could be read. */
export interface PickleStream {
  readonly start: number;
  /** Offset just after STOP, or where reading stopped on error. */
  readonly end: number;
  readonly protocol: number;
  readonly opcodeCounts: ReadonlyMap<string, number>;
  readonly imports: readonly PickleImport[];
  readonly calls: readonly PickleCall[];
  readonly persistentIds: readonly { readonly pid: PickleValue; readonly offset: number }[];
  readonly anomalies: readonly PickleAnomaly[];
  readonly inlineArrays: readonly InlineArray[];
  /** The value STOP returned; undefined when the stream did not finish. */
  readonly result: PickleValue | undefined;
  /** Why the stream could not be read to STOP; undefined when it was. */
  readonly error: FormatError | undefined;
}

export interface PickleOptions {
  readonly limits?: Partial<PickleLimits>;
  /**
   * Emulate joblib's unpickler: after BUILD of a `NumpyArrayWrapper`, the array bytes (or a
   * nested pickle for object arrays) follow inline in the stream.
   */
  readonly joblibInlineArrays?: boolean;
}
