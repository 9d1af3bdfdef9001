/**
 * The fields of an X.509 certificate (RFC 5280 §4.1) that Node's `X509Certificate` does not
 * expose as structured values: the validity times and the KeyUsage and ExtendedKeyUsage
 * extensions, read from the DER with our bounded reader.
 */
import { expectTag, readChildren, readTlv, TAG, type Tlv, tlvValue } from "../asn1/der-reader.js";
import { CryptoError } from "../crypto-error.js";

/** id-ce-keyUsage, 2.5.29.15 (RFC 5280 §4.2.1.3). */
const OID_KEY_USAGE = Uint8Array.from([0x55, 0x1d, 0x0f]);
/** id-ce-extKeyUsage, 2.5.29.37 (RFC 5280 §4.2.1.12). */
const OID_EXT_KEY_USAGE = Uint8Array.from([0x55, 0x1d, 0x25]);
/** id-kp-codeSigning, 1.3.6.1.5.5.7.3.3 (RFC 5280 §4.2.1.12). */
const OID_CODE_SIGNING = Uint8Array.from([0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03]);

/** RFC 5280 §4.2.1.3: digitalSignature is bit 0, keyCertSign bit 5 (first byte, MSB first). */
const DIGITAL_SIGNATURE_BIT = 0x80;
const KEY_CERT_SIGN_BIT = 0x04;

export interface KeyUsage {
  readonly digitalSignature: boolean;
  readonly keyCertSign: boolean;
}

export interface ExtendedKeyUsage {
  readonly codeSigning: boolean;
}

export interface CertificateFields {
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Absent when the certificate has no KeyUsage extension. */
  readonly keyUsage?: KeyUsage;
  /** Absent when the certificate has no ExtendedKeyUsage extension. */
  readonly extendedKeyUsage?: ExtendedKeyUsage;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function malformed(state: string): never {
  throw new CryptoError("MALFORMED", `Cannot read the certificate: ${state}`);
}

const TIME = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** UTCTime (two-digit years: 50–99 are 19xx, RFC 5280 §4.1.2.5.1) or GeneralizedTime. */
function readTime(bytes: Uint8Array, tlv: Tlv): Date {
  if (tlv.tag !== TAG.UTC_TIME && tlv.tag !== TAG.GENERALIZED_TIME) malformed("bad validity time");
  const text = Buffer.from(tlvValue(bytes, tlv)).toString("latin1");
  const match = TIME.exec(text);
  const expectedLength = tlv.tag === TAG.UTC_TIME ? 13 : 15;
  if (match === null || text.length !== expectedLength) malformed(`bad validity time "${text}"`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const year = tlv.tag === TAG.UTC_TIME ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  return new Date(Date.UTC(year, mo - 1, d, h, mi, s));
}

function readKeyUsage(value: Uint8Array): KeyUsage {
  const bits = expectTag(readTlv(value, 0), TAG.BIT_STRING, "KeyUsage");
  const first = bits.end - bits.start >= 2 ? (value[bits.start + 1] ?? 0) : 0;
  return {
    digitalSignature: (first & DIGITAL_SIGNATURE_BIT) !== 0,
    keyCertSign: (first & KEY_CERT_SIGN_BIT) !== 0,
  };
}

function readExtendedKeyUsage(value: Uint8Array): ExtendedKeyUsage {
  const list = expectTag(readTlv(value, 0), TAG.SEQUENCE, "ExtendedKeyUsage");
  const oids = readChildren(value, list, 64).map((oid) =>
    tlvValue(value, expectTag(oid, TAG.OID, "ExtendedKeyUsage purpose")),
  );
  return { codeSigning: oids.some((oid) => equalBytes(oid, OID_CODE_SIGNING)) };
}

export function readCertificateFields(der: Uint8Array): CertificateFields {
  const certificate = expectTag(readTlv(der, 0), TAG.SEQUENCE, "Certificate");
  if (certificate.end !== der.length) malformed("trailing bytes after the certificate");
  const [tbs] = readChildren(der, certificate, 3);
  const fields = readChildren(der, expectTag(tbs, TAG.SEQUENCE, "TBSCertificate"), 16);
  // version [0] is optional; validity is the SEQUENCE after serial, signature and issuer.
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const validity = expectTag(fields[offset + 3], TAG.SEQUENCE, "Validity");
  const [notBefore, notAfter] = readChildren(der, validity, 2);
  if (notBefore === undefined || notAfter === undefined) malformed("incomplete validity");
  const result: {
    notBefore: Date;
    notAfter: Date;
    keyUsage?: KeyUsage;
    extendedKeyUsage?: ExtendedKeyUsage;
  } = { notBefore: readTime(der, notBefore), notAfter: readTime(der, notAfter) };
  const wrapper = fields.find((field) => field.tag === TAG.CONTEXT_3);
  if (wrapper === undefined) return result;
  const [list] = readChildren(der, wrapper, 1);
  for (const extension of readChildren(der, expectTag(list, TAG.SEQUENCE, "Extensions"), 256)) {
    const parts = readChildren(der, expectTag(extension, TAG.SEQUENCE, "Extension"), 3);
    const oid = tlvValue(der, expectTag(parts[0], TAG.OID, "Extension id"));
    const value = tlvValue(der, expectTag(parts.at(-1), TAG.OCTET_STRING, "Extension value"));
    if (equalBytes(oid, OID_KEY_USAGE)) result.keyUsage = readKeyUsage(value);
    else if (equalBytes(oid, OID_EXT_KEY_USAGE))
      result.extendedKeyUsage = readExtendedKeyUsage(value);
  }
  return result;
}
