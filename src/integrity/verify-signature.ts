/**
 * Checks that a bundle was signed by the verifier's key or by a certificate chaining to the
 * verifier's roots (`sign_ec_key.Verifier`, `sign_certificate.Verifier`). A bad signature is a
 * finding; what we cannot check at all (keyless Sigstore) is an error.
 */
import type { X509Certificate } from "node:crypto";
import { CryptoError } from "../crypto/crypto-error.js";
import { pae, paeCompat } from "../crypto/dsse/pae.js";
import { type EcPublicKey, ecPublicKey, verifyEcdsa } from "../crypto/keys/ec-key.js";
import { certificateFromDer } from "../crypto/x509/pem-certificates.js";
import { checkSigningUsage, verifyCertificateChain } from "../crypto/x509/verify-chain.js";
import type { ParsedBundle } from "./bundle-read.js";
import { IntegrityError } from "./integrity-error.js";
import {
  certificateSigner,
  certificatesFromPems,
  keySigner,
  publicKeyFromPem,
} from "./signer-keys.js";
import type { SignerInfo, VerifyOptions } from "./types.js";

export interface SignatureCheck {
  /** Who signed, once the signature is known to be genuine. */
  readonly signer?: SignerInfo;
  /** Why the signature is not accepted. */
  readonly problem?: string;
}

/**
 * The standard DSSE encoding first; then, like the reference, the v0.2 encoding, which key
 * signers hashed by curve and certificate signers always with SHA-256.
 */
function dsseVerifies(
  bundle: ParsedBundle,
  key: EcPublicKey,
  legacyHash: "curve" | "sha256",
): boolean {
  if (verifyEcdsa(key, pae(bundle.payloadType, bundle.payload), bundle.signature)) return true;
  const legacy = paeCompat(bundle.payloadType, bundle.payload);
  return legacyHash === "curve"
    ? verifyEcdsa(key, legacy, bundle.signature)
    : verifyEcdsa(key, legacy, bundle.signature, "sha256");
}

function checkWithKey(bundle: ParsedBundle, pem: string): SignatureCheck {
  const key = publicKeyFromPem(pem);
  const signer = keySigner(key);
  const { material } = bundle;
  if (material.kind === "publicKey" && material.hint !== undefined && material.hint !== "") {
    if (material.hint.toLowerCase() !== signer.keyHint) {
      return {
        problem: `the key hint ${material.hint.slice(0, 80)} is not the public key's (${signer.keyHint})`,
      };
    }
  }
  if (!dsseVerifies(bundle, key, "curve"))
    return { problem: "the signature does not verify with the public key" };
  return { signer };
}

function leafKey(leaf: X509Certificate): EcPublicKey {
  return ecPublicKey(leaf.publicKey, "signing certificate's key");
}

function checkWithCertificates(bundle: ParsedBundle, pems: readonly string[]): SignatureCheck {
  const trusted = certificatesFromPems(pems, "the trusted certificates");
  const { material } = bundle;
  if (material.kind !== "x509") {
    return { problem: "the signature has no certificate chain: it was signed with a bare key" };
  }
  let chain: X509Certificate[];
  try {
    chain = material.certificates.map((der, index) =>
      certificateFromDer(der, `certificate ${index} of the signature`),
    );
  } catch (error) {
    throw new IntegrityError("MALFORMED_SIGNATURE", (error as Error).message, { cause: error });
  }
  try {
    const { leaf } = verifyCertificateChain({ chain, trusted });
    checkSigningUsage(leaf);
    const key = leafKey(leaf);
    if (!dsseVerifies(bundle, key, "sha256")) {
      return { problem: "the signature does not verify with the signing certificate's key" };
    }
    return { signer: certificateSigner(key, leaf) };
  } catch (error) {
    if (error instanceof CryptoError) return { problem: error.message };
    throw error;
  }
}

export function checkSignature(bundle: ParsedBundle, options: VerifyOptions): SignatureCheck {
  if (bundle.material.kind === "keyless") {
    throw new IntegrityError(
      "KEYLESS_UNSUPPORTED",
      "Cannot check the signature: it is a keyless Sigstore bundle, which needs the public Sigstore trust root (Fulcio, Rekor)",
    );
  }
  const hasKey = options.publicKeyPem !== undefined;
  const hasRoots =
    options.trustedCertificatesPem !== undefined && options.trustedCertificatesPem.length > 0;
  if (hasKey === hasRoots) {
    throw new IntegrityError(
      "USAGE",
      "Cannot check the signature: give either a public key or trusted certificates",
    );
  }
  if (options.publicKeyPem !== undefined) return checkWithKey(bundle, options.publicKeyPem);
  return checkWithCertificates(bundle, options.trustedCertificatesPem ?? []);
}

/** `--expect-key-hint` and `--expect-identity`: pins on who signed. */
export function checkPins(signer: SignerInfo, options: VerifyOptions): string[] {
  const problems: string[] = [];
  const hint = options.expectKeyHint?.toLowerCase();
  if (hint !== undefined && hint !== signer.keyHint) {
    problems.push(`signed by key ${signer.keyHint}, expected ${hint}`);
  }
  const identity = options.expectIdentity;
  if (identity !== undefined && !(signer.identities ?? []).includes(identity)) {
    const who =
      signer.method === "certificate"
        ? `certificate "${signer.subject ?? ""}"`
        : "a bare key, with no identity";
    problems.push(`signed by ${who}, expected identity "${identity}"`);
  }
  return problems;
}
