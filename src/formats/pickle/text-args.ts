/**
 * Decoders for the text arguments of protocol 0 opcodes, matching CPython's `pickle.py`:
 * `int(x, 0)` for INT/LONG, `codecs.escape_decode` for STRING, `raw-unicode-escape` for UNICODE.
 */
import { FormatError } from "../format-error.js";

const LATIN1 = new TextDecoder("latin1");
const UTF8_STRICT = new TextDecoder("utf-8", { fatal: true });

/** Python's `int(text, 0)`: optional sign, 0x/0o/0b prefixes, underscores between digits. */
export function parsePythonInt(text: string, offset: number): bigint {
  const trimmed = text.trim();
  const match = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)$/.exec(trimmed);
  if (!match || trimmed.includes("__") || trimmed.endsWith("_")) {
    throw new FormatError("MALFORMED", `Cannot parse integer '${text.slice(0, 40)}'`, offset);
  }
  const sign = match[1] === "-" ? -1n : 1n;
  const body = (match[2] ?? "").replaceAll("_", "");
  // int(x, 0) rejects decimal literals with leading zeros such as "012" but accepts "000".
  if (/^0[0-9]+$/.test(body)) {
    if (/[1-9]/.test(body)) {
      throw new FormatError("MALFORMED", `Cannot parse integer '${text.slice(0, 40)}'`, offset);
    }
    return 0n;
  }
  return sign * BigInt(body);
}

/** Decodes UTF-8 strictly, as CPython does for BINUNICODE and GLOBAL names. */
export function decodeUtf8(bytes: Uint8Array, offset: number): string {
  try {
    return UTF8_STRICT.decode(bytes);
  } catch (error) {
    throw new FormatError("MALFORMED", "Cannot decode string: invalid UTF-8", offset, {
      cause: error,
    });
  }
}

export function decodeLatin1(bytes: Uint8Array): string {
  return LATIN1.decode(bytes);
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  "\n": -1,
  "\\": 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

/** `codecs.escape_decode` of a quoted STRING argument, returned as latin-1 text. */
export function decodeStringLiteral(line: Uint8Array, offset: number): string {
  const quote = line[0];
  if (line.length < 2 || (quote !== 0x27 && quote !== 0x22) || line[line.length - 1] !== quote) {
    throw new FormatError("MALFORMED", "Cannot decode STRING argument: it must be quoted", offset);
  }
  const body = decodeLatin1(line.subarray(1, line.length - 1));
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) {
      throw new FormatError("MALFORMED", "Cannot decode STRING argument: trailing '\\'", offset);
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      if (simple >= 0) out += String.fromCharCode(simple);
      i += 1;
    } else if (next === "x") {
      const hex = body.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new FormatError("MALFORMED", "Cannot decode STRING argument: bad \\x escape", offset);
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 3;
    } else if (next >= "0" && next <= "7") {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4))?.[0] ?? "0";
      out += String.fromCharCode(Number.parseInt(oct, 8) & 0xff);
      i += oct.length;
    } else {
      // Unknown escapes are kept verbatim, backslash included.
      out += ch;
    }
  }
  return out;
}

/** `raw-unicode-escape`: latin-1, except `\uXXXX` and `\UXXXXXXXX`. */
export function decodeRawUnicodeEscape(line: Uint8Array, offset: number): string {
  const text = decodeLatin1(line);
  return text.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/g, (_m, hex: string) => {
    const code = Number.parseInt(hex.slice(1), 16);
    if (code > 0x10ffff) {
      throw new FormatError(
        "MALFORMED",
        "Cannot decode UNICODE argument: code point range",
        offset,
      );
    }
    return String.fromCodePoint(code);
  });
}
