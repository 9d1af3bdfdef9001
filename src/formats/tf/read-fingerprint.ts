/**
 * `fingerprint.pb`, written by TensorFlow 2.11+ beside `saved_model.pb`: a few hashes that
 * identify the model, and nothing any loader runs. Field numbers from
 * tensorflow/core/protobuf/fingerprint.proto: FingerprintDef { uint64 saved_model_checksum = 1,
 * graph_def_program_hash = 2, signature_def_hash = 3, saved_object_graph_hash = 4,
 * checkpoint_hash = 5; VersionDef version = 6; string uuid = 7 }. The file is read whole and
 * strictly: a field outside these, a repeated field, or a size far past a real fingerprint is
 * malformed, not skipped.
 */
import { FormatError } from "../format-error.js";
import { forEachField, headVarint, requireWire, WireType, wrapWireErrors } from "./proto-fields.js";
import { readVersionDef, type VersionDef } from "./read-version-def.js";

/** A real fingerprint is under 100 bytes: five hashes, a version and a UUID. */
export const MAX_FINGERPRINT_BYTES = 4096;
/** A UUID's text is 36 characters; leave room for other spellings. */
export const MAX_UUID_BYTES = 64;

export interface TfFingerprint {
  /** The five hashes, by field number 1..5, as decimal strings (uint64). */
  readonly hashes: ReadonlyMap<number, string>;
  readonly version: VersionDef | undefined;
  readonly uuid: string | undefined;
}

const HASH_FIELDS = new Set([1, 2, 3, 4, 5]);
const VERSION = 6;
const UUID = 7;
const TAG_CHECKSUM = 0x08;
const TAG_PROGRAM_HASH = 0x10;
const UUID_TEXT = /^[\x21-\x7e]*$/;

/**
 * Whether `head` starts like `fingerprint.pb`: `saved_model_checksum` (field 1, varint) then
 * `graph_def_program_hash` (field 2, varint). A SavedModel's field 1 is followed by field 2 as a
 * LEN (0x12) and an ONNX model's by a LEN producer name, so neither matches.
 */
export function isFingerprintHead(head: Uint8Array, size: number): boolean {
  if (head[0] !== TAG_CHECKSUM) return false;
  const checksum = headVarint(head, 1);
  if (checksum === undefined) return false;
  const next = checksum[1];
  return next < size && head[next] === TAG_PROGRAM_HASH;
}

/** Parses `fingerprint.pb`; throws FormatError for anything that is not one. */
export function readFingerprint(bytes: Uint8Array): TfFingerprint {
  if (bytes.length > MAX_FINGERPRINT_BYTES) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read fingerprint: ${bytes.length} bytes, over the ${MAX_FINGERPRINT_BYTES}-byte bound`,
    );
  }
  return wrapWireErrors("fingerprint", () => {
    const hashes = new Map<number, string>();
    let version: VersionDef | undefined;
    let uuid: string | undefined;
    const seen = new Set<number>();
    forEachField(bytes, "fingerprint", (field, r, wire, at) => {
      if (seen.has(field)) {
        throw new FormatError("MALFORMED", `Cannot read fingerprint: field ${field} twice`, at);
      }
      seen.add(field);
      if (HASH_FIELDS.has(field)) {
        requireWire(wire, WireType.Varint, `fingerprint field ${field}`, at);
        hashes.set(field, r.uint64().toString());
      } else if (field === VERSION) {
        requireWire(wire, WireType.LengthDelimited, "fingerprint version", at);
        version = readVersionDef(r.bytes());
      } else if (field === UUID) {
        requireWire(wire, WireType.LengthDelimited, "fingerprint uuid", at);
        const raw = r.bytes();
        const text = new TextDecoder().decode(raw);
        if (raw.length > MAX_UUID_BYTES || !UUID_TEXT.test(text)) {
          throw new FormatError(
            "MALFORMED",
            "Cannot read fingerprint: uuid is not a short printable string",
            at,
          );
        }
        uuid = text;
      } else {
        throw new FormatError("MALFORMED", `Cannot read fingerprint: unknown field ${field}`, at);
      }
    });
    if (!hashes.has(1)) {
      throw new FormatError("MALFORMED", "Cannot read fingerprint: no saved_model_checksum");
    }
    return { hashes, version, uuid };
  });
}
