import { ED25519_SIGNATURE_SIZE, ed25519Sign, ed25519Verify } from "./ed25519.js";
import { assertKeyName, importPublicKey, importSeed } from "./ed25519-note-key.js";
import { computeKeyId, SIGNATURE_TYPE_COSIGNATURE_V1 } from "./key-id.js";
import { NoteError } from "./note-error.js";
import type { NoteSigner, NoteVerifier } from "./signer.js";

/** Domain-separation header line (C2SP tlog-cosignature "Ed25519 signed message"). */
export const COSIGNATURE_V1_HEADER = "cosignature/v1";

/** Bytes of the big-endian u64 timestamp before the signature (tlog-cosignature "Format"). */
const TIMESTAMP_SIZE = 8;

/** A cosignature split into its POSIX timestamp and its Ed25519 signature. */
export interface Cosignature {
  readonly time: number;
  readonly signature: Uint8Array;
}

/** "cosignature/v1\ntime <t>\n" followed by the checkpoint note text (with its final newline). */
export function cosignatureMessage(time: number, text: Uint8Array): Uint8Array {
  assertTime(time);
  const header = Buffer.from(`${COSIGNATURE_V1_HEADER}\ntime ${time}\n`, "utf8");
  return Buffer.concat([header, text]);
}

/**
 * Splits signature bytes into timestamp and signature. The spec caps the timestamp at 2^63 - 1;
 * we cap it at 2^53 - 1 (year 285 million) so it stays an exact number.
 */
export function parseCosignature(bytes: Uint8Array): Cosignature {
  if (bytes.length !== TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE) {
    throw new NoteError(
      "MALFORMED_COSIGNATURE",
      `Cannot parse cosignature: it is ${bytes.length} bytes, not ${TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE}`,
    );
  }
  const time = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0);
  if (time > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new NoteError(
      "MALFORMED_COSIGNATURE",
      `Cannot parse cosignature: time ${time} too large`,
    );
  }
  return { time: Number(time), signature: bytes.slice(TIMESTAMP_SIZE) };
}

/** A tlog-cosignature/v1 signer (type 0x04); `now` gives POSIX seconds (default: the clock). */
export function cosignatureSigner(
  name: string,
  seed: Uint8Array,
  now: () => number = () => Math.floor(Date.now() / 1000),
): NoteSigner {
  assertKeyName(name);
  const { privateKey, publicKey } = importSeed(name, seed);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    sign: (text) => {
      const time = now();
      assertTime(time);
      const out = new Uint8Array(TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE);
      new DataView(out.buffer).setBigUint64(0, BigInt(time));
      out.set(ed25519Sign(privateKey, cosignatureMessage(time, text)), TIMESTAMP_SIZE);
      return out;
    },
  };
}

/** A tlog-cosignature/v1 verifier; use `parseCosignature` on a verified signature for its time. */
export function cosignatureVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  assertKeyName(name);
  const key = importPublicKey(name, publicKey);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    type: SIGNATURE_TYPE_COSIGNATURE_V1,
    verify: (text, bytes) => {
      let cosignature: Cosignature;
      try {
        cosignature = parseCosignature(bytes);
      } catch {
        return false;
      }
      return ed25519Verify(key, cosignatureMessage(cosignature.time, text), cosignature.signature);
    },
  };
}

function assertTime(time: number): void {
  if (!Number.isSafeInteger(time) || time < 0) {
    throw new NoteError(
      "MALFORMED_COSIGNATURE",
      `Cannot use cosignature time "${time}": not a non-negative safe integer`,
    );
  }
}
