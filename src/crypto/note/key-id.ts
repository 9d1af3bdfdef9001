import { createHash } from "node:crypto";

/** Signature type of an Ed25519 note signature (C2SP signed-note "Signature types"). */
export const SIGNATURE_TYPE_ED25519 = 0x01;

/** Signature type of a timestamped Ed25519 witness cosignature (C2SP tlog-cosignature). */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

/** Bytes of the key ID at the start of every decoded signature (C2SP signed-note "Format"). */
export const KEY_ID_SIZE = 4;

/**
 * key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], read as a big-endian
 * uint32 (C2SP signed-note "Signatures").
 */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash("sha256")
    .update(name, "utf8")
    .update(new Uint8Array([0x0a, type]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** The key ID as the 8 lowercase hex digits used in key strings. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(2 * KEY_ID_SIZE, "0");
}
