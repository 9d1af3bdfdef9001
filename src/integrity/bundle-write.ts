/**
 * Writes the bundle the reference signer writes (`sign_ec_key.Signer.sign`,
 * `sign_certificate.Signer`): compact JSON, DSSE `keyid` "", no transparency-log entries, and
 * either the key hint or the DER certificate chain, signing certificate first.
 */
import { BUNDLE_MEDIA_TYPE, IN_TOTO_PAYLOAD_TYPE } from "./bundle-read.js";

export type WrittenMaterial =
  | { readonly kind: "publicKey"; readonly hint: string }
  | { readonly kind: "x509"; readonly certificates: readonly Uint8Array[] };

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

export function bundleJson(
  material: WrittenMaterial,
  payload: Uint8Array,
  signature: Uint8Array,
): string {
  const verificationMaterial =
    material.kind === "publicKey"
      ? { publicKey: { hint: material.hint }, tlogEntries: [] }
      : {
          x509CertificateChain: {
            certificates: material.certificates.map((der) => ({ rawBytes: base64(der) })),
          },
          tlogEntries: [],
        };
  return JSON.stringify({
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial,
    dsseEnvelope: {
      payload: base64(payload),
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: base64(signature), keyid: "" }],
    },
  });
}
