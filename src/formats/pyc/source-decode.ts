import { FormatError } from "../format-error.js";

/**
 * PEP 263: a "coding" comment on line 1, or on line 2 when line 1 is a comment or blank, names
 * the source encoding; the default is UTF-8. The regular expression is the PEP's own.
 */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
/** Only the first two lines can carry the declaration; a longer "line" is not one we look at. */
const MAX_DECLARATION_LINE = 4096;

const LATIN1 = new Set(["latin-1", "latin1", "iso-8859-1", "iso8859-1", "8859", "cp819", "l1"]);
const UTF8 = new Set(["utf-8", "utf8", "utf-8-sig", "u8", "utf", "cp65001"]);
const ASCII = new Set(["ascii", "us-ascii", "646"]);
const CP1252 = new Set(["cp1252", "windows-1252"]);
/**
 * cp1252 bytes 0x80..0x9F (Python's codec; -1 where it has no character). Built in because
 * Node 20's TextDecoder decodes "windows-1252" as Latin-1.
 */
const CP1252_HIGH = [
  0x20ac, -1, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  -1, 0x17d, -1, -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161,
  0x203a, 0x153, -1, 0x17e, 0x178,
];

/** The declared encoding of Python source, lower-cased with `_` as `-` (Python's own folding). */
export function declaredEncoding(bytes: Uint8Array): string {
  const hasBom = UTF8_BOM.every((byte, i) => bytes[i] === byte);
  let start = hasBom ? UTF8_BOM.length : 0;
  for (let line = 0; line < 2; line++) {
    let end = start;
    while (end < bytes.length && end - start < MAX_DECLARATION_LINE && bytes[end] !== 0x0a) end++;
    const text = String.fromCharCode(...bytes.subarray(start, end));
    const match = CODING.exec(text);
    if (match?.[1] !== undefined) {
      const name = match[1].toLowerCase().replaceAll("_", "-");
      if (hasBom && !UTF8.has(name)) {
        throw new FormatError("MALFORMED", `Cannot decode source: BOM with coding "${name}"`);
      }
      return name;
    }
    if (!/^[ \t\f]*(#.*)?\r?$/.test(text)) break;
    start = end + 1;
  }
  return "utf-8";
}

/**
 * Python source bytes as the tokenizer sees them: decoded per PEP 263 and with `\r\n` and `\r`
 * turned into `\n` (universal newlines, which also shape triple-quoted string constants).
 */
export function decodePythonSource(bytes: Uint8Array): string {
  const encoding = declaredEncoding(bytes);
  let text: string;
  if (LATIN1.has(encoding)) {
    text = latin1(bytes);
  } else if (CP1252.has(encoding)) {
    text = cp1252(bytes);
  } else if (ASCII.has(encoding)) {
    if (bytes.some((byte) => byte >= 0x80)) {
      throw new FormatError("MALFORMED", "Cannot decode source: non-ASCII byte in ASCII source");
    }
    text = latin1(bytes);
  } else {
    text = decodeWith(UTF8.has(encoding) ? "utf-8" : encoding, bytes);
  }
  return text.replace(/\r\n?/g, "\n");
}

function latin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 0x2000) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + 0x2000)));
  }
  return parts.join("");
}

function cp1252(bytes: Uint8Array): string {
  const chars = Array.from(bytes, (byte) => {
    const code = byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH[byte - 0x80]! : byte;
    if (code < 0) {
      throw new FormatError("MALFORMED", `Cannot decode source: byte "${byte}" is not cp1252`);
    }
    return code;
  });
  const parts: string[] = [];
  for (let i = 0; i < chars.length; i += 0x2000) {
    parts.push(String.fromCharCode(...chars.slice(i, i + 0x2000)));
  }
  return parts.join("");
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    // WHATWG labels cover the common Python codec names (cp1252, shift_jis, euc-jp, koi8-r).
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch (error) {
    throw new FormatError(
      "UNSUPPORTED",
      `Cannot decode source: encoding "${encoding}" is not supported`,
      undefined,
      { cause: error },
    );
  }
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new FormatError("MALFORMED", `Cannot decode source: not valid "${encoding}"`, undefined, {
      cause: error,
    });
  }
}
