import { FormatError } from "../format-error.js";
import type { PythonVersion } from "./magic.js";
import { readCode } from "./marshal-code.js";
import { MarshalCursor } from "./marshal-cursor.js";
import { readLong } from "./marshal-long.js";
import type { MarshalValue } from "./marshal-types.js";

/**
 * Our nesting bound. CPython's writer stops at 2000 (MAX_MARSHAL_STACK_DEPTH); compiled code
 * nests far less: two levels per nested function, and the tokenizer allows 200 open brackets.
 */
export const MAX_MARSHAL_DEPTH = 500;
/** Our bound on objects in one marshal stream (each takes at least one byte anyway). */
export const MAX_MARSHAL_OBJECTS = 1 << 22;

/** marshal.c: a type byte with this bit set adds the object to the reference list. */
const FLAG_REF = 0x80;
const TYPE_NULL = 0x30; // '0', the terminator of a dict

export interface MarshalResult {
  readonly value: MarshalValue;
  /** Offset just past the value; marshal.loads ignores anything after it. */
  readonly end: number;
}

/** Reads one marshalled value at `offset`, for the code layout of `version`. */
export function readMarshal(
  bytes: Uint8Array,
  offset: number,
  version: PythonVersion,
): MarshalResult {
  const reader = new MarshalReader(new MarshalCursor(bytes, offset), version);
  const value = reader.read();
  return { value, end: reader.cursor.offset };
}

/** One pass over a marshal stream; `refs` holds each FLAG_REF object once it is complete. */
export class MarshalReader {
  readonly cursor: MarshalCursor;
  readonly version: PythonVersion;
  readonly #refs: (MarshalValue | undefined)[] = [];
  #depth = 0;
  #objects = 0;

  constructor(cursor: MarshalCursor, version: PythonVersion) {
    this.cursor = cursor;
    this.version = version;
  }

  read(): MarshalValue {
    const at = this.cursor.offset;
    const code = this.cursor.u8("marshal type");
    if (code === TYPE_NULL) {
      throw new FormatError("MALFORMED", "Cannot read marshal value: NULL outside a dict", at);
    }
    return this.readTyped(code, at);
  }

  readTyped(code: number, at: number): MarshalValue {
    if (++this.#objects > MAX_MARSHAL_OBJECTS) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read marshal value: more than ${MAX_MARSHAL_OBJECTS} objects`,
        at,
      );
    }
    if (this.#depth >= MAX_MARSHAL_DEPTH) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read marshal value: nesting is deeper than ${MAX_MARSHAL_DEPTH}`,
        at,
      );
    }
    this.#depth++;
    try {
      return this.#dispatch(code & ~FLAG_REF, (code & FLAG_REF) !== 0, at);
    } finally {
      this.#depth--;
    }
  }

  #dispatch(type: number, flagged: boolean, at: number): MarshalValue {
    const char = String.fromCharCode(type);
    const singleton = SINGLETONS.get(char);
    if (singleton !== undefined) {
      if (flagged) {
        throw new FormatError("MALFORMED", `Cannot read marshal "${char}": it has FLAG_REF`, at);
      }
      return singleton;
    }
    if (char === "r") {
      if (flagged) {
        throw new FormatError("MALFORMED", `Cannot read marshal ref: it has FLAG_REF`, at);
      }
      return this.#ref(at);
    }
    // CPython numbers a FLAG_REF object when it starts, before its children: reserve the slot.
    const slot = flagged ? this.#refs.push(undefined) - 1 : -1;
    const value = this.#object(char, at);
    if (slot >= 0) this.#refs[slot] = value;
    return value;
  }

  #ref(at: number): MarshalValue {
    const index = this.cursor.i32("marshal ref index");
    if (index < 0 || index >= this.#refs.length) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read marshal ref: index "${index}" is unknown`,
        at,
      );
    }
    const value = this.#refs[index];
    if (value === undefined) {
      // A reference into an object still being read: a cycle, which compiled code never has.
      throw new FormatError("MALFORMED", `Cannot read marshal ref: "${index}" is incomplete`, at);
    }
    return value;
  }

  #object(char: string, at: number): MarshalValue {
    const c = this.cursor;
    switch (char) {
      case "i":
        return { kind: "int", value: BigInt(c.i32("int")) };
      case "I":
        return { kind: "int", value: c.i64("int64") };
      case "l":
        return { kind: "int", value: readLong(c) };
      case "g":
        return { kind: "float", value: c.f64("binary float") };
      case "f":
        return { kind: "float", value: this.#textFloat(at) };
      case "y":
        return { kind: "complex", real: c.f64("complex real"), imag: c.f64("complex imag") };
      case "x":
        return { kind: "complex", real: this.#textFloat(at), imag: this.#textFloat(at) };
      case "s":
        return { kind: "bytes", value: c.bytes(c.count("bytes", 1), "bytes") };
      case "u":
      case "t":
        return { kind: "str", value: c.utf8(c.count("str", 1), "str") };
      case "a":
      case "A":
        return { kind: "str", value: c.ascii(c.count("ascii str", 1), "ascii str") };
      case "z":
      case "Z":
        return { kind: "str", value: c.ascii(c.u8("short ascii size"), "short ascii str") };
      case "(":
        return { kind: "tuple", items: this.#items(c.count("tuple", 1)) };
      case ")":
        return { kind: "tuple", items: this.#items(c.u8("small tuple size")) };
      case "[":
        return { kind: "list", items: this.#items(c.count("list", 1)) };
      case "<":
        return { kind: "set", items: this.#items(c.count("set", 1)) };
      case ">":
        return { kind: "frozenset", items: this.#items(c.count("frozenset", 1)) };
      case "{":
        return { kind: "dict", entries: this.#entries() };
      case "c":
        return { kind: "code", code: readCode(this, at) };
      case ":":
        throw new FormatError("UNSUPPORTED", "Cannot read marshal slice: not supported", at);
      default:
        throw new FormatError(
          "MALFORMED",
          `Cannot read marshal value: type "0x${char.charCodeAt(0).toString(16)}" is unknown`,
          at,
        );
    }
  }

  #items(count: number): MarshalValue[] {
    const items: MarshalValue[] = [];
    for (let i = 0; i < count; i++) items.push(this.read());
    return items;
  }

  #entries(): [MarshalValue, MarshalValue][] {
    const entries: [MarshalValue, MarshalValue][] = [];
    for (;;) {
      const at = this.cursor.offset;
      const code = this.cursor.u8("dict key type");
      if (code === TYPE_NULL) return entries;
      const key = this.readTyped(code, at);
      entries.push([key, this.read()]);
    }
  }

  /** Marshal version 1 floats: a length byte, then the repr text (PyOS_string_to_double). */
  #textFloat(at: number): number {
    const text = this.cursor.ascii(this.cursor.u8("float size"), "float");
    const lower = text.toLowerCase().replace(/^\+/, "");
    const special = SPECIAL_FLOATS.get(lower.replace(/^-/, ""));
    if (special !== undefined) return lower.startsWith("-") ? -special : special;
    if (!FLOAT_TEXT.test(text)) {
      throw new FormatError("MALFORMED", `Cannot read float: "${text}" is not a number`, at);
    }
    return Number(text);
  }
}

const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ["inf", Number.POSITIVE_INFINITY],
  ["infinity", Number.POSITIVE_INFINITY],
  ["nan", Number.NaN],
]);

const SINGLETONS: ReadonlyMap<string, MarshalValue> = new Map<string, MarshalValue>([
  ["N", { kind: "none" }],
  ["T", { kind: "bool", value: true }],
  ["F", { kind: "bool", value: false }],
  ["S", { kind: "stop-iteration" }],
  [".", { kind: "ellipsis" }],
]);
