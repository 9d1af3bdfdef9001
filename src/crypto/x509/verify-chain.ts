/**
 * Certificate path validation as the reference verifier does it with OpenSSL
 * (`sign_certificate.Verifier._verify_certificates`): the signing certificate, then the
 * bundle's other certificates as untrusted intermediates, up to a self-signed root the verifier
 * trusts; every certificate valid at the signing certificate's notBefore (the reference's
 * "signing time"), every issuer a CA. Signatures are checked with Node's `X509Certificate`.
 */
import type { X509Certificate } from "node:crypto";
import { CryptoError } from "../crypto-error.js";
import { readCertificateFields } from "./certificate-fields.js";
import { MAX_CERTIFICATES } from "./pem-certificates.js";

export interface ChainInput {
  /** The signer's certificates, leaf first (the bundle's `x509CertificateChain`). */
  readonly chain: readonly X509Certificate[];
  /** Certificates the verifier trusts; the path must end at a self-signed one. */
  readonly trusted: readonly X509Certificate[];
}

export interface ChainResult {
  readonly leaf: X509Certificate;
  /** Leaf first, trusted root last. */
  readonly path: readonly X509Certificate[];
  /** The time the path was checked at: the leaf's notBefore. */
  readonly checkedAt: Date;
}

function invalid(state: string): never {
  throw new CryptoError("CHAIN_INVALID", `Cannot verify the certificate chain: ${state}`);
}

function describe(certificate: X509Certificate): string {
  return `"${certificate.subject.replace(/\n/g, ", ")}"`;
}

function isSelfSigned(certificate: X509Certificate): boolean {
  return certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
}

function checkValidAt(certificate: X509Certificate, at: Date): void {
  const { notBefore, notAfter } = readCertificateFields(certificate.raw);
  if (at < notBefore || at > notAfter) {
    invalid(`${describe(certificate)} is not valid at ${at.toISOString()}`);
  }
}

function issuedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

export function verifyCertificateChain(input: ChainInput): ChainResult {
  const [leaf, ...intermediates] = input.chain;
  if (leaf === undefined) invalid("the signature holds no certificate");
  if (input.trusted.length === 0) invalid("no trusted certificate was given");
  const roots = input.trusted.filter(isSelfSigned);
  const untrusted = [...intermediates, ...input.trusted.filter((c) => !roots.includes(c))];
  const checkedAt = readCertificateFields(leaf.raw).notBefore;
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth <= MAX_CERTIFICATES; depth += 1) {
    checkValidAt(current, checkedAt);
    const trustedSelf = roots.find((root) => root.raw.equals(current.raw));
    if (trustedSelf !== undefined) return { leaf, path, checkedAt };
    const root = roots.find((candidate) => issuedBy(current, candidate));
    const issuer =
      root ??
      untrusted.find((candidate) => !path.includes(candidate) && issuedBy(current, candidate));
    if (issuer === undefined) {
      invalid(
        `no trusted issuer for ${describe(current)} (issuer ${JSON.stringify(current.issuer)})`,
      );
    }
    if (!issuer.ca) invalid(`issuer ${describe(issuer)} is not a certificate authority`);
    path.push(issuer);
    current = issuer;
  }
  return invalid(`the chain is longer than ${MAX_CERTIFICATES} certificates`);
}

/**
 * The reference accepts a signing certificate whose KeyUsage has digitalSignature, or else
 * whose ExtendedKeyUsage has codeSigning.
 */
export function checkSigningUsage(leaf: X509Certificate): void {
  const fields = readCertificateFields(leaf.raw);
  if (fields.keyUsage?.digitalSignature === true) return;
  if (fields.extendedKeyUsage?.codeSigning === true) return;
  invalid(
    `${describe(leaf)} is not for signing: no digitalSignature KeyUsage and no codeSigning ExtendedKeyUsage`,
  );
}

/** What `--expect-identity` can match: every SAN value, the subject, and its common name. */
export function certificateIdentities(certificate: X509Certificate): string[] {
  const identities: string[] = [];
  for (const entry of (certificate.subjectAltName ?? "").split(/,\s*/)) {
    const colon = entry.indexOf(":");
    if (colon > 0) identities.push(entry.slice(colon + 1));
  }
  const subject = certificate.subject.split("\n");
  identities.push(subject.join(", "));
  for (const part of subject) if (part.startsWith("CN=")) identities.push(part.slice(3));
  return identities;
}
