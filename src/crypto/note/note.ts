import { decodeBase64Strict, encodeBase64 } from "./base64.js";
import { formatKeyId, KEY_ID_SIZE } from "./key-id.js";
import { isValidKeyName, isWellFormedUnicode } from "./key-name.js";
import { NoteError } from "./note-error.js";

/**
 * Most signature lines we read. C2SP signed-note: verifiers "MUST accept at least up to 16
 * signatures"; Go's sumdb/note stops at 100, and so do we.
 */
export const MAX_NOTE_SIGNATURES = 100;

/** Largest note we read: 100 post-quantum signatures (~5 kB each, signed-note) fit well inside. */
export const MAX_NOTE_SIZE = 1024 * 1024;

/** Em dash (U+2014) and space open every signature line (C2SP signed-note "Format"). */
export const SIGNATURE_LINE_PREFIX = "\u2014 ";

/** One signature line: who signed, and the signature bytes after the 4-byte key ID. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** A note split into its text (with the final newline) and its signature lines, unverified. */
export interface ParsedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Code units below this are ASCII control characters (C2SP signed-note "Format"). */
const FIRST_PRINTABLE = 0x20;
const NEWLINE = 0x0a;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Splits a signed note without verifying it. Bytes must be valid UTF-8; both forms must be a
 * text ending in newline, a blank line, then 1..100 signature lines, each ending in newline.
 */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const message = typeof note === "string" ? note : decodeUtf8(note);
  assertNoteCharacters(message, "note");
  // The text ends at the last blank line (signed-note "Format"); signature lines have none.
  const split = message.lastIndexOf("\n\n");
  if (split < 0) throw malformed("no blank line before the signatures");
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block === "" || !block.endsWith("\n")) throw malformed("signatures do not end in newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new NoteError(
      "LIMIT_EXCEEDED",
      `Cannot parse note: ${lines.length} signatures, over ${MAX_NOTE_SIGNATURES}`,
    );
  }
  const signatures = lines.map(parseSignatureLine);
  const seen = new Set<string>();
  for (const s of signatures) {
    const id = `${s.name}\n${s.keyId}`;
    if (seen.has(id)) {
      throw new NoteError(
        "DUPLICATE_SIGNATURE",
        `Cannot parse note: two signatures by "${s.name}" key ${formatKeyId(s.keyId)}`,
      );
    }
    seen.add(id);
  }
  return { text, signatures };
}

/** The note with these signature lines; `text` must be valid note text. */
export function formatNote(text: string, signatures: readonly NoteSignature[]): string {
  assertNoteText(text);
  if (signatures.length === 0) throw malformed("it has no signature", "format note");
  const lines = signatures.map((s) => {
    if (!isValidKeyName(s.name)) {
      throw malformed(`key name ${JSON.stringify(s.name)} is invalid`, "format note");
    }
    const bytes = new Uint8Array(KEY_ID_SIZE + s.signature.length);
    new DataView(bytes.buffer).setUint32(0, s.keyId);
    bytes.set(s.signature, KEY_ID_SIZE);
    return `${SIGNATURE_LINE_PREFIX}${s.name} ${encodeBase64(bytes)}\n`;
  });
  return `${text}\n${lines.join("")}`;
}

/** Throws MALFORMED_NOTE unless `text` can be the text of a note: ends in newline, no controls. */
export function assertNoteText(text: string): void {
  assertNoteCharacters(text, "note text");
  if (!text.endsWith("\n")) throw malformed("it does not end in newline", "use note text");
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) throw malformed("a signature line has no em dash");
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(" ");
  const name = rest.slice(0, space);
  if (space < 0 || !isValidKeyName(name)) throw malformed("a signature line has no valid key name");
  const bytes = decodeBase64Strict(rest.slice(space + 1));
  if (bytes === undefined || bytes.length <= KEY_ID_SIZE) {
    throw malformed(`the signature by "${name}" is not base64 of key ID and signature`);
  }
  return {
    name,
    keyId: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0),
    signature: bytes.slice(KEY_ID_SIZE),
  };
}

function assertNoteCharacters(text: string, what: string): void {
  // Three bytes per UTF-16 unit bounds the UTF-8 size before we measure it exactly.
  if (text.length * 3 > MAX_NOTE_SIZE && Buffer.byteLength(text, "utf8") > MAX_NOTE_SIZE) {
    throw new NoteError("LIMIT_EXCEEDED", `Cannot parse ${what}: over ${MAX_NOTE_SIZE} bytes`);
  }
  if (!isWellFormedUnicode(text)) throw malformed("not valid Unicode", `use ${what}`);
  if (hasControlCharacter(text)) throw malformed("it contains a control character", `use ${what}`);
}

/** Any ASCII control character except newline, which notes may not contain. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < FIRST_PRINTABLE && unit !== NEWLINE) return true;
  }
  return false;
}

function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length > MAX_NOTE_SIZE) {
    throw new NoteError("LIMIT_EXCEEDED", `Cannot parse note: over ${MAX_NOTE_SIZE} bytes`);
  }
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new NoteError("MALFORMED_NOTE", "Cannot parse note: not valid UTF-8", { cause });
  }
}

function malformed(state: string, action = "parse note"): NoteError {
  return new NoteError("MALFORMED_NOTE", `Cannot ${action}: ${state}`);
}
