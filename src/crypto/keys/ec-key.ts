/**
 * ECDSA keys as OpenSSF Model Signing uses them: PEM keys on NIST P-256, P-384 or P-521, the
 * signature hash chosen by the curve (`sign_ec_key.get_ec_key_hash`), DER-encoded signatures.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { CryptoError } from "../crypto-error.js";

export type EcCurve = "P-256" | "P-384" | "P-521";
export type EcdsaHash = "sha256" | "sha384" | "sha512";

/** OpenSSL's curve names, as `asymmetricKeyDetails.namedCurve` reports them. */
const CURVES: Readonly<Record<string, EcCurve>> = {
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521",
};

const HASH_FOR_CURVE: Readonly<Record<EcCurve, EcdsaHash>> = {
  "P-256": "sha256",
  "P-384": "sha384",
  "P-521": "sha512",
};

/** A PEM key or certificate bundle is a few KiB; anything larger is not one. */
export const MAX_PEM_BYTES = 1024 * 1024;

export interface EcPublicKey {
  readonly key: KeyObject;
  readonly curve: EcCurve;
}

export interface EcPrivateKey {
  readonly key: KeyObject;
  readonly curve: EcCurve;
  readonly publicKey: EcPublicKey;
}

export function hashForCurve(curve: EcCurve): EcdsaHash {
  return HASH_FOR_CURVE[curve];
}

function checkPemSize(pem: string, what: string): void {
  if (pem.length > MAX_PEM_BYTES) {
    throw new CryptoError("MALFORMED", `Cannot read the ${what}: over ${MAX_PEM_BYTES} bytes`);
  }
}

/** The curve of an EC key, or an UNSUPPORTED_KEY error naming what the key is instead. */
export function ecPublicKey(key: KeyObject, what = "public key"): EcPublicKey {
  const type = key.asymmetricKeyType;
  if (type !== "ec") {
    throw new CryptoError(
      "UNSUPPORTED_KEY",
      `Cannot use the ${what}: it is a "${type ?? key.type}" key, not an elliptic-curve key`,
    );
  }
  const name = key.asymmetricKeyDetails?.namedCurve ?? "";
  const curve = CURVES[name];
  if (curve === undefined) {
    throw new CryptoError(
      "UNSUPPORTED_KEY",
      `Cannot use the ${what}: curve "${name}" is not P-256, P-384 or P-521`,
    );
  }
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  return { key: publicKey, curve };
}

export function loadPrivateKey(pem: string): EcPrivateKey {
  checkPemSize(pem, "private key");
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new CryptoError(
      "MALFORMED",
      `Cannot read the private key: not an unencrypted PEM private key (${(error as Error).message})`,
      { cause: error },
    );
  }
  const publicKey = ecPublicKey(key, "private key");
  return { key, curve: publicKey.curve, publicKey };
}

export function loadPublicKey(pem: string): EcPublicKey {
  checkPemSize(pem, "public key");
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new CryptoError(
      "MALFORMED",
      `Cannot read the public key: not a PEM public key (${(error as Error).message})`,
      { cause: error },
    );
  }
  return ecPublicKey(key);
}

/**
 * The key hint the reference signer writes (`sign_ec_key.Signer._get_verification_material`):
 * lowercase hex SHA-256 of the SubjectPublicKeyInfo PEM, 64-character lines and a final newline,
 * which is exactly what OpenSSL (and so Node) exports.
 */
export function publicKeyHint(key: KeyObject): string {
  const pem = key.export({ type: "spki", format: "pem" });
  return createHash("sha256").update(pem).digest("hex");
}

/** Two public keys are the same key when their SubjectPublicKeyInfo DER is byte-identical. */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const der = (key: KeyObject) => key.export({ type: "spki", format: "der" });
  return der(a).equals(der(b));
}

/** ECDSA over `data` with the curve's hash; the signature is DER (X9.62 Ecdsa-Sig-Value). */
export function signEcdsa(privateKey: EcPrivateKey, data: Uint8Array): Uint8Array {
  return sign(hashForCurve(privateKey.curve), data, privateKey.key);
}

export function verifyEcdsa(
  publicKey: EcPublicKey,
  data: Uint8Array,
  signature: Uint8Array,
  hash: EcdsaHash = hashForCurve(publicKey.curve),
): boolean {
  try {
    return verify(hash, data, publicKey.key, signature);
  } catch {
    // A signature that is not valid DER makes OpenSSL throw; for us it is just not valid.
    return false;
  }
}
