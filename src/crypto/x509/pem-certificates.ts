/** Certificates from PEM text (RFC 7468 §5): every `CERTIFICATE` block, in order. */
import { X509Certificate } from "node:crypto";
import { CryptoError } from "../crypto-error.js";
import { MAX_PEM_BYTES } from "../keys/ec-key.js";

/** A chain or a set of roots longer than this is not one we were meant to read. */
export const MAX_CERTIFICATES = 32;

const BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;

/** One certificate from DER bytes, with Node's parse error wrapped in ours. */
export function certificateFromDer(der: Uint8Array, what: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (error) {
    throw new CryptoError("MALFORMED", `Cannot read ${what}: not a DER X.509 certificate`, {
      cause: error,
    });
  }
}

export function certificatesFromPem(pem: string, what: string): X509Certificate[] {
  if (pem.length > MAX_PEM_BYTES) {
    throw new CryptoError("MALFORMED", `Cannot read ${what}: over ${MAX_PEM_BYTES} bytes`);
  }
  const certificates: X509Certificate[] = [];
  for (const match of pem.matchAll(BLOCK)) {
    if (certificates.length >= MAX_CERTIFICATES) {
      throw new CryptoError(
        "MALFORMED",
        `Cannot read ${what}: more than ${MAX_CERTIFICATES} certificates`,
      );
    }
    const der = Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64");
    certificates.push(certificateFromDer(der, what));
  }
  if (certificates.length === 0) {
    throw new CryptoError("MALFORMED", `Cannot read ${what}: no PEM CERTIFICATE block`);
  }
  return certificates;
}
