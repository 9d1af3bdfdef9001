/** Loads the caller's keys and certificates, turning crypto errors into integrity errors. */
import type { X509Certificate } from "node:crypto";
import { CryptoError } from "../crypto/crypto-error.js";
import {
  type EcPrivateKey,
  type EcPublicKey,
  loadPrivateKey,
  loadPublicKey,
  publicKeyHint,
} from "../crypto/keys/ec-key.js";
import { certificatesFromPem } from "../crypto/x509/pem-certificates.js";
import { certificateIdentities } from "../crypto/x509/verify-chain.js";
import { IntegrityError } from "./integrity-error.js";
import type { SignerInfo } from "./types.js";

function wrap<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof CryptoError) {
      throw new IntegrityError("BAD_KEY", error.message, { cause: error });
    }
    throw error;
  }
}

export const privateKeyFromPem = (pem: string): EcPrivateKey => wrap(() => loadPrivateKey(pem));
export const publicKeyFromPem = (pem: string): EcPublicKey => wrap(() => loadPublicKey(pem));

export function certificatesFromPems(pems: readonly string[], what: string): X509Certificate[] {
  return wrap(() => pems.flatMap((pem) => certificatesFromPem(pem, what)));
}

export function keySigner(key: EcPublicKey): SignerInfo {
  return { method: "key", keyHint: publicKeyHint(key.key), curve: key.curve };
}

export function certificateSigner(key: EcPublicKey, leaf: X509Certificate): SignerInfo {
  return {
    method: "certificate",
    keyHint: publicKeyHint(key.key),
    curve: key.curve,
    subject: leaf.subject.split("\n").join(", "),
    identities: certificateIdentities(leaf),
  };
}
