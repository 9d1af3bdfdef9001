/** Builds marshal data byte by byte, for tests that need inputs CPython would never write. */

const encoder = new TextEncoder();

export function concat(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  const arrays = parts.map((part) => (part instanceof Uint8Array ? part : Uint8Array.from(part)));
  const out = new Uint8Array(arrays.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of arrays) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function i32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value, true);
  return out;
}

const type = (char: string, ref = false) => [char.charCodeAt(0) | (ref ? 0x80 : 0)];

export const m = {
  none: () => Uint8Array.of(0x4e),
  int: (value: number, ref = false) => concat(type("i", ref), i32(value)),
  /** TYPE_LONG from raw base-2^15 digits (least significant first) and a sign. */
  long: (digits: readonly number[], negative = false) =>
    concat(
      type("l"),
      i32(negative ? -digits.length : digits.length),
      ...digits.map((d) => [d & 0xff, d >> 8]),
    ),
  bytes: (value: Uint8Array | readonly number[]) => concat(type("s"), i32(value.length), value),
  /** A short ASCII string ('z', or 'Z' interned). */
  str: (value: string, ref = false) =>
    concat(type("z", ref), [value.length], encoder.encode(value)),
  unicode: (raw: Uint8Array | readonly number[]) => concat(type("u"), i32(raw.length), raw),
  tuple: (...items: Uint8Array[]) => concat(type(")"), [items.length], ...items),
  refTuple: (...items: Uint8Array[]) => concat(type(")", true), [items.length], ...items),
  ref: (index: number) => concat(type("r"), i32(index)),
  /** A 3.11+ code object with the given names and constants; everything else minimal. */
  code311: (options: { name?: string; names?: string[]; consts?: Uint8Array[] } = {}) =>
    concat(
      type("c"),
      i32(0), // argcount
      i32(0), // posonlyargcount
      i32(0), // kwonlyargcount
      i32(1), // stacksize
      i32(0), // flags
      m.bytes([0x97, 0x00]), // RESUME 0
      m.tuple(...(options.consts ?? [m.none()])),
      m.tuple(...(options.names ?? []).map((name) => m.str(name))),
      m.tuple(), // localsplusnames
      m.bytes([]), // localspluskinds
      m.str("mod.py"),
      m.str(options.name ?? "<module>"),
      m.str(options.name ?? "<module>"),
      i32(1), // firstlineno
      m.bytes([]), // linetable
      m.bytes([]), // exceptiontable
    ),
};
