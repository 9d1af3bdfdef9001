/**
 * Opcodes that push one literal read from their argument (numbers, strings, bytes). They touch
 * no machine state, so they live apart from the stack, memo and call semantics.
 */
import { FormatError } from "../format-error.js";
import type { StreamReader } from "./stream-reader.js";
import {
  decodeLatin1,
  decodeRawUnicodeEscape,
  decodeStringLiteral,
  decodeUtf8,
  parsePythonInt,
} from "./text-args.js";
import { FLOAT, NONE, type PickleValue } from "./values.js";

/** Small integers are interned: data pickles push millions of them. */
const SMALL_INTS: readonly PickleValue[] = Array.from({ length: 256 }, (_, i) => ({
  kind: "int",
  value: BigInt(i),
}));
const TRUE: PickleValue = { kind: "bool", value: true };
const FALSE: PickleValue = { kind: "bool", value: false };

const int = (value: bigint): PickleValue =>
  value >= 0n && value < 256n ? (SMALL_INTS[Number(value)] as PickleValue) : { kind: "int", value };

const bytes = (r: StreamReader, n: number, what: string): PickleValue => {
  const at = r.pos;
  return { kind: "bytes", value: r.take(n, what), offset: at };
};

/**
 * Reads the literal of opcode `op` at the reader's position; returns undefined when `op` is not
 * a literal opcode. Decoding follows CPython's `pickle.py` load_* functions.
 */
export function readLiteral(op: number, r: StreamReader, offset: number): PickleValue | undefined {
  switch (op) {
    case 0x4e: // NONE
      return NONE;
    case 0x88: // NEWTRUE
      return TRUE;
    case 0x89: // NEWFALSE
      return FALSE;
    case 0x49: {
      // INT: "01"/"00" are protocol 0's True/False.
      const text = decodeLatin1(r.line());
      if (text === "00" || text === "01") return text === "01" ? TRUE : FALSE;
      return int(parsePythonInt(text, offset));
    }
    case 0x4c: // LONG: an optional trailing "L" from Python 2
      return int(parsePythonInt(decodeLatin1(r.line()).replace(/L$/, ""), offset));
    case 0x4a: // BININT
      return int(BigInt(r.i4()));
    case 0x4b: // BININT1
      return SMALL_INTS[r.u1()];
    case 0x4d: // BININT2
      return int(BigInt(r.u2()));
    case 0x8a: // LONG1
      return int(r.long(r.u1()));
    case 0x8b: {
      // LONG4
      const n = r.i4();
      if (n < 0) throw new FormatError("MALFORMED", "Cannot read LONG4: negative length", offset);
      return int(r.long(n));
    }
    case 0x46: // FLOAT
      r.line();
      return FLOAT;
    case 0x47: // BINFLOAT
      r.take(8, "BINFLOAT");
      return FLOAT;
    case 0x53: // STRING
      return { kind: "str", value: decodeStringLiteral(r.line(), offset) };
    case 0x54: // BINSTRING: protocol-2 byte strings decode as ASCII/latin-1 by default
      return { kind: "str", value: decodeLatin1(r.take(r.i4(), "BINSTRING")) };
    case 0x55: // SHORT_BINSTRING
      return { kind: "str", value: decodeLatin1(r.take(r.u1(), "SHORT_BINSTRING")) };
    case 0x56: // UNICODE
      return { kind: "str", value: decodeRawUnicodeEscape(r.line(), offset) };
    case 0x58: // BINUNICODE
      return { kind: "str", value: decodeUtf8(r.take(r.u4(), "BINUNICODE"), offset) };
    case 0x8c: // SHORT_BINUNICODE
      return { kind: "str", value: decodeUtf8(r.take(r.u1(), "SHORT_BINUNICODE"), offset) };
    case 0x8d: // BINUNICODE8
      return { kind: "str", value: decodeUtf8(r.take(r.u8(), "BINUNICODE8"), offset) };
    case 0x42: // BINBYTES
      return bytes(r, r.u4(), "BINBYTES");
    case 0x43: // SHORT_BINBYTES
      return bytes(r, r.u1(), "SHORT_BINBYTES");
    case 0x8e: // BINBYTES8
      return bytes(r, r.u8(), "BINBYTES8");
    case 0x96: // BYTEARRAY8
      return bytes(r, r.u8(), "BYTEARRAY8");
    default:
      return undefined;
  }
}
