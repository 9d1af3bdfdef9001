import { decodeBase64Strict, encodeBase64 } from "./base64.js";
import { cosignatureSigner, cosignatureVerifier } from "./cosignature.js";
import { ED25519_KEY_SIZE, ed25519FromSeed, generateEd25519Seed } from "./ed25519.js";
import { assertKeyName, ed25519Signer, ed25519Verifier, importSeed } from "./ed25519-note-key.js";
import {
  computeKeyId,
  formatKeyId,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
} from "./key-id.js";
import { NoteError } from "./note-error.js";
import type { NoteSigner, NoteVerifier } from "./signer.js";

/**
 * Key strings in the format of Go's golang.org/x/mod/sumdb/note, which C2SP signed-note calls
 * vkeys: a verifier key is `<name>+<hex key ID>+<base64(type || public key)>`, a signer key is
 * `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>`. We accept only the canonical
 * spelling (8 lowercase hex digits, canonical base64) and check the key ID against the key.
 */
const SIGNER_KEY_PREFIX = "PRIVATE+KEY+";

/** Longest key string we parse; a real one is under 400 characters. */
const MAX_KEY_STRING_LENGTH = 1024;

const KEY_ID_HEX = /^[0-9a-f]{8}$/;

/** A freshly generated key pair as key strings. Keep `signerKey` secret. */
export interface NoteKeyStrings {
  readonly signerKey: string;
  readonly verifierKey: string;
}

/** Options for parsing signer keys. */
export interface SignerKeyOptions {
  /** POSIX seconds for cosignature (type 0x04) timestamps; default the system clock. */
  readonly now?: () => number;
}

export function parseSignerKey(key: string, options: SignerKeyOptions = {}): NoteSigner {
  if (!key.startsWith(SIGNER_KEY_PREFIX)) throw malformed("signer key", "no PRIVATE+KEY+ prefix");
  const { name, keyId, type, material } = splitKey(key.slice(SIGNER_KEY_PREFIX.length), "signer");
  const { publicKey } = importSeed(name, material);
  checkKeyId(name, keyId, computeKeyId(name, type, publicKey));
  return type === SIGNATURE_TYPE_ED25519
    ? ed25519Signer(name, material)
    : cosignatureSigner(name, material, options.now);
}

export function parseVerifierKey(key: string): NoteVerifier {
  const { name, keyId, type, material } = splitKey(key, "verifier");
  checkKeyId(name, keyId, computeKeyId(name, type, material));
  return type === SIGNATURE_TYPE_ED25519
    ? ed25519Verifier(name, material)
    : cosignatureVerifier(name, material);
}

/** The verifier key string for a raw 32-byte public key. */
export function formatVerifierKey(name: string, type: number, publicKey: Uint8Array): string {
  assertKeyName(name);
  assertType(type);
  const keyId = computeKeyId(name, type, publicKey);
  return `${name}+${formatKeyId(keyId)}+${encodeBase64(new Uint8Array([type, ...publicKey]))}`;
}

/** The signer key string for a 32-byte seed. */
export function formatSignerKey(name: string, type: number, seed: Uint8Array): string {
  assertKeyName(name);
  assertType(type);
  const keyId = computeKeyId(name, type, importSeed(name, seed).publicKey);
  return `${SIGNER_KEY_PREFIX}${name}+${formatKeyId(keyId)}+${encodeBase64(new Uint8Array([type, ...seed]))}`;
}

/** A new random key pair; type 0x01 for a log, 0x04 for a witness cosigner. */
export function generateNoteKeys(
  name: string,
  type: number = SIGNATURE_TYPE_ED25519,
): NoteKeyStrings {
  const seed = generateEd25519Seed();
  return {
    signerKey: formatSignerKey(name, type, seed),
    verifierKey: formatVerifierKey(name, type, ed25519FromSeed(seed).publicKey),
  };
}

interface KeyParts {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly material: Uint8Array;
}

function splitKey(key: string, what: string): KeyParts {
  if (key.length > MAX_KEY_STRING_LENGTH) throw malformed(`${what} key`, "too long");
  // The name and key ID cannot contain "+", but base64 can: split at the first two only.
  const first = key.indexOf("+");
  const second = first < 0 ? -1 : key.indexOf("+", first + 1);
  if (second < 0) throw malformed(`${what} key`, "not name+keyid+key");
  const name = key.slice(0, first);
  const hex = key.slice(first + 1, second);
  const b64 = key.slice(second + 1);
  assertKeyName(name);
  if (!KEY_ID_HEX.test(hex)) throw malformed(`${what} key`, "key ID is not 8 lowercase hex digits");
  const decoded = decodeBase64Strict(b64);
  if (decoded === undefined) throw malformed(`${what} key`, "key is not canonical base64");
  const type = decoded[0];
  if (type === undefined) throw malformed(`${what} key`, "key is empty");
  assertType(type);
  const material = decoded.slice(1);
  if (material.length !== ED25519_KEY_SIZE) {
    throw malformed(`${what} key`, `key is ${material.length} bytes, not ${ED25519_KEY_SIZE}`);
  }
  return { name, keyId: Number.parseInt(hex, 16), type, material };
}

function assertType(type: number): void {
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new NoteError(
      "UNSUPPORTED_KEY_TYPE",
      `Cannot use key of signature type ${type}: only 0x01 and 0x04 are supported`,
    );
  }
}

function checkKeyId(name: string, written: number, computed: number): void {
  if (written !== computed) {
    throw new NoteError(
      "KEY_ID_MISMATCH",
      `Cannot use key "${name}": key ID ${formatKeyId(written)} is not ${formatKeyId(computed)}`,
    );
  }
}

function malformed(what: string, state: string): NoteError {
  return new NoteError("MALFORMED_KEY", `Cannot parse ${what}: ${state}`);
}
