/**
 * Reads a Sigstore bundle v0.3 (`sigstore/protobuf-specs` `sigstore_bundle.proto`, proto3 JSON
 * mapping) holding one DSSE envelope. Nothing is verified here; the result says which key
 * material the bundle carries so the verifier can refuse what it cannot check.
 */
import { IntegrityError } from "./integrity-error.js";
import {
  arrayField,
  base64Field,
  isObject,
  type JsonObject,
  malformed,
  objectField,
  stringField,
} from "./json-fields.js";

export const BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

/** A signature file for millions of files is some hundreds of MiB; this bounds the parse. */
export const MAX_SIGNATURE_CHARS = 512 * 1024 * 1024;
/** A DER certificate is a few KiB; a chain a handful of them. */
const MAX_CERTIFICATE_CHARS = 64 * 1024;
const MAX_CERTIFICATES = 16;
/** A DER ECDSA signature on P-521 is at most 139 bytes. */
const MAX_SIGNATURE_B64 = 1024;

export type BundleMaterial =
  | { readonly kind: "publicKey"; readonly hint: string | undefined }
  | { readonly kind: "x509"; readonly certificates: readonly Uint8Array[] }
  /** Sigstore keyless: a Fulcio `certificate` (normally with Rekor entries). */
  | { readonly kind: "keyless" };

export interface ParsedBundle {
  readonly material: BundleMaterial;
  readonly payloadType: string;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  readonly keyid: string | undefined;
}

function parseJson(text: string): JsonObject {
  if (text.length > MAX_SIGNATURE_CHARS) malformed(`over ${MAX_SIGNATURE_CHARS} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    malformed("not JSON");
  }
  if (!isObject(value)) malformed("not a JSON object");
  return value;
}

function readMaterial(material: JsonObject): BundleMaterial {
  if (material.certificate !== undefined) return { kind: "keyless" };
  if (material.x509CertificateChain !== undefined) {
    const chain = objectField(material, "x509CertificateChain", "verificationMaterial");
    const list = arrayField(chain, "certificates", "x509CertificateChain", MAX_CERTIFICATES);
    if (list.length === 0) malformed("x509CertificateChain.certificates is empty");
    const certificates = list.map((item, index) => {
      if (!isObject(item)) malformed(`certificates[${index}] is not an object`);
      return base64Field(item, "rawBytes", `certificates[${index}]`, MAX_CERTIFICATE_CHARS);
    });
    return { kind: "x509", certificates };
  }
  if (material.publicKey !== undefined) {
    const key = objectField(material, "publicKey", "verificationMaterial");
    // v1.0.x wrote `rawBytes` and `keyDetails` instead of a hint; the reference ignores them.
    const hint =
      key.hint === undefined || key.hint === null
        ? undefined
        : stringField(key, "hint", "publicKey", 256);
    return { kind: "publicKey", hint };
  }
  return malformed("verificationMaterial has no publicKey, x509CertificateChain or certificate");
}

export function parseBundle(text: string): ParsedBundle {
  const bundle = parseJson(text);
  const mediaType = bundle.mediaType;
  if (mediaType !== BUNDLE_MEDIA_TYPE) {
    throw new IntegrityError(
      "UNSUPPORTED_SIGNATURE",
      `Cannot read the signature: media type ${JSON.stringify(mediaType)?.slice(0, 120)} is not ${BUNDLE_MEDIA_TYPE}`,
    );
  }
  const material = readMaterial(objectField(bundle, "verificationMaterial", "bundle"));
  if (bundle.dsseEnvelope === undefined) {
    throw new IntegrityError(
      "UNSUPPORTED_SIGNATURE",
      "Cannot read the signature: it holds no DSSE envelope",
    );
  }
  const envelope = objectField(bundle, "dsseEnvelope", "bundle");
  const payloadType = stringField(envelope, "payloadType", "dsseEnvelope", 256);
  const payload = base64Field(envelope, "payload", "dsseEnvelope", MAX_SIGNATURE_CHARS);
  const signatures = arrayField(envelope, "signatures", "dsseEnvelope", 2);
  const [first] = signatures;
  // Sigstore bundles carry exactly one DSSE signature (protobuf-specs, `Bundle.content`).
  if (signatures.length !== 1 || !isObject(first))
    malformed("the DSSE envelope must have one signature");
  const signature = base64Field(first, "sig", "signatures[0]", MAX_SIGNATURE_B64);
  const keyid = typeof first.keyid === "string" ? first.keyid.slice(0, 256) : undefined;
  return { material, payloadType, payload, signature, keyid };
}
