/**
 * The pickle opcode table, protocols 0 to 5, as CPython's `Lib/pickle.py` and
 * `Lib/pickletools.py` define them. The argument kind says how many bytes follow the opcode.
 */
export type ArgKind =
  | "none"
  | "u1"
  | "u2"
  | "i4"
  | "u4"
  | "u8"
  | "f8"
  | "line"
  | "line2"
  | "bytes-u1"
  | "bytes-i4"
  | "bytes-u4"
  | "bytes-u8"
  | "long-u1"
  | "long-i4";

export interface OpcodeInfo {
  readonly name: string;
  readonly arg: ArgKind;
  /** First protocol that defines the opcode (PEP 307, 3154, 574). */
  readonly proto: number;
}

const TABLE: ReadonlyArray<readonly [string, string, ArgKind, number]> = [
  ["(", "MARK", "none", 0],
  [".", "STOP", "none", 0],
  ["0", "POP", "none", 0],
  ["1", "POP_MARK", "none", 1],
  ["2", "DUP", "none", 0],
  ["F", "FLOAT", "line", 0],
  ["I", "INT", "line", 0],
  ["J", "BININT", "i4", 1],
  ["K", "BININT1", "u1", 1],
  ["L", "LONG", "line", 0],
  ["M", "BININT2", "u2", 1],
  ["N", "NONE", "none", 0],
  ["P", "PERSID", "line", 0],
  ["Q", "BINPERSID", "none", 1],
  ["R", "REDUCE", "none", 0],
  ["S", "STRING", "line", 0],
  ["T", "BINSTRING", "bytes-i4", 1],
  ["U", "SHORT_BINSTRING", "bytes-u1", 1],
  ["V", "UNICODE", "line", 0],
  ["X", "BINUNICODE", "bytes-u4", 1],
  ["a", "APPEND", "none", 0],
  ["b", "BUILD", "none", 0],
  ["c", "GLOBAL", "line2", 0],
  ["d", "DICT", "none", 0],
  ["}", "EMPTY_DICT", "none", 1],
  ["e", "APPENDS", "none", 1],
  ["g", "GET", "line", 0],
  ["h", "BINGET", "u1", 1],
  ["i", "INST", "line2", 0],
  ["j", "LONG_BINGET", "u4", 1],
  ["l", "LIST", "none", 0],
  ["]", "EMPTY_LIST", "none", 1],
  ["o", "OBJ", "none", 1],
  ["p", "PUT", "line", 0],
  ["q", "BINPUT", "u1", 1],
  ["r", "LONG_BINPUT", "u4", 1],
  ["s", "SETITEM", "none", 0],
  ["t", "TUPLE", "none", 0],
  [")", "EMPTY_TUPLE", "none", 1],
  ["u", "SETITEMS", "none", 1],
  ["G", "BINFLOAT", "f8", 1],
  ["\x80", "PROTO", "u1", 2],
  ["\x81", "NEWOBJ", "none", 2],
  ["\x82", "EXT1", "u1", 2],
  ["\x83", "EXT2", "u2", 2],
  ["\x84", "EXT4", "i4", 2],
  ["\x85", "TUPLE1", "none", 2],
  ["\x86", "TUPLE2", "none", 2],
  ["\x87", "TUPLE3", "none", 2],
  ["\x88", "NEWTRUE", "none", 2],
  ["\x89", "NEWFALSE", "none", 2],
  ["\x8a", "LONG1", "long-u1", 2],
  ["\x8b", "LONG4", "long-i4", 2],
  ["B", "BINBYTES", "bytes-u4", 3],
  ["C", "SHORT_BINBYTES", "bytes-u1", 3],
  ["\x8c", "SHORT_BINUNICODE", "bytes-u1", 4],
  ["\x8d", "BINUNICODE8", "bytes-u8", 4],
  ["\x8e", "BINBYTES8", "bytes-u8", 4],
  ["\x8f", "EMPTY_SET", "none", 4],
  ["\x90", "ADDITEMS", "none", 4],
  ["\x91", "FROZENSET", "none", 4],
  ["\x92", "NEWOBJ_EX", "none", 4],
  ["\x93", "STACK_GLOBAL", "none", 4],
  ["\x94", "MEMOIZE", "none", 4],
  ["\x95", "FRAME", "u8", 4],
  ["\x96", "BYTEARRAY8", "bytes-u8", 5],
  ["\x97", "NEXT_BUFFER", "none", 5],
  ["\x98", "READONLY_BUFFER", "none", 5],
];

/** Opcode byte → info; `undefined` for bytes that are not opcodes. */
export const OPCODES: ReadonlyArray<OpcodeInfo | undefined> = (() => {
  const table: Array<OpcodeInfo | undefined> = new Array(256).fill(undefined);
  for (const [char, name, arg, proto] of TABLE) table[char.charCodeAt(0)] = { name, arg, proto };
  return table;
})();

/** The highest protocol CPython knows (`pickle.HIGHEST_PROTOCOL`). */
export const HIGHEST_PROTOCOL = 5;

/**
 * Opcodes that `torch.load(weights_only=True)` accepts
 * (`torch/_weights_only_unpickler.py`); everything else is outside the weights profile.
 */
export const WEIGHTS_ONLY_OPCODES: ReadonlySet<string> = new Set([
  "PROTO",
  "STOP",
  "GLOBAL",
  "NEWOBJ",
  "REDUCE",
  "BUILD",
  "APPEND",
  "APPENDS",
  "SETITEM",
  "SETITEMS",
  "MARK",
  "TUPLE",
  "TUPLE1",
  "TUPLE2",
  "TUPLE3",
  "NONE",
  "NEWTRUE",
  "NEWFALSE",
  "EMPTY_TUPLE",
  "EMPTY_LIST",
  "EMPTY_DICT",
  "EMPTY_SET",
  "BININT",
  "BININT1",
  "BININT2",
  "BINFLOAT",
  "BINUNICODE",
  "SHORT_BINSTRING",
  "LONG1",
  "BINPERSID",
  "BINGET",
  "LONG_BINGET",
  "BINPUT",
  "LONG_BINPUT",
]);
