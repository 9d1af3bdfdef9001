import {
  type Ed25519KeyPair,
  ed25519FromSeed,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
} from "./ed25519.js";
import { computeKeyId, SIGNATURE_TYPE_ED25519 } from "./key-id.js";
import { isValidKeyName } from "./key-name.js";
import { NoteError } from "./note-error.js";
import type { NoteSigner, NoteVerifier } from "./signer.js";

/** A signed-note Ed25519 signer (type 0x01, C2SP signed-note "Ed25519 signatures"). */
export function ed25519Signer(name: string, seed: Uint8Array): NoteSigner {
  assertKeyName(name);
  const { privateKey, publicKey } = importSeed(name, seed);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKey),
    sign: (text) => ed25519Sign(privateKey, text),
  };
}

/** A signed-note Ed25519 verifier for a 32-byte public key. */
export function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier {
  assertKeyName(name);
  const key = importPublicKey(name, publicKey);
  return {
    name,
    keyId: computeKeyId(name, SIGNATURE_TYPE_ED25519, publicKey),
    type: SIGNATURE_TYPE_ED25519,
    verify: (text, signature) => ed25519Verify(key, text, signature),
  };
}

export function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new NoteError("MALFORMED_KEY", `Cannot use key name ${JSON.stringify(name)}: not valid`);
  }
}

/** The key pair of a 32-byte seed; MALFORMED_KEY for any other length. */
export function importSeed(name: string, seed: Uint8Array): Ed25519KeyPair {
  try {
    return ed25519FromSeed(seed);
  } catch (cause) {
    throw new NoteError(
      "MALFORMED_KEY",
      `Cannot import private key of "${name}": not a 32-byte Ed25519 seed`,
      { cause },
    );
  }
}

export function importPublicKey(
  name: string,
  publicKey: Uint8Array,
): ReturnType<typeof ed25519PublicKey> {
  try {
    return ed25519PublicKey(publicKey);
  } catch (cause) {
    throw new NoteError(
      "MALFORMED_KEY",
      `Cannot import public key of "${name}": not a 32-byte Ed25519 key`,
      { cause },
    );
  }
}
