/**
 * Keys and certificates for tests, made with the openssl command line in a temporary directory:
 * a root CA, an intermediate, and a code-signing leaf on the curve asked for.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type TestCurve = "P-256" | "P-384";

const OPENSSL_CURVE: Record<TestCurve, string> = { "P-256": "prime256v1", "P-384": "secp384r1" };

export interface TestKey {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export function ecKey(curve: TestCurve): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: OPENSSL_CURVE[curve] });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

export interface TestPki {
  readonly leaf: TestKey & { readonly certificatePem: string };
  readonly intermediatePem: string;
  readonly rootPem: string;
}

const openssl = (dir: string, args: string[]) =>
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

/** `leafExtensions` replaces the leaf's usual digitalSignature + codeSigning extensions. */
export function makePki(
  dir: string,
  curve: TestCurve,
  leafExtensions = "keyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\nsubjectAltName=email:signer@example.com",
): TestPki {
  const key = ecKey(curve);
  writeFileSync(join(dir, "leaf.key"), key.privateKeyPem);
  writeFileSync(
    join(dir, "ca.ext"),
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n",
  );
  writeFileSync(join(dir, "leaf.ext"), `${leafExtensions}\n`);
  openssl(dir, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "root.key"]);
  openssl(dir, [
    "req",
    "-x509",
    "-new",
    "-key",
    "root.key",
    "-subj",
    "/CN=test-root",
    "-days",
    "3650",
    "-out",
    "root.pem",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign",
  ]);
  openssl(dir, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "int.key"]);
  openssl(dir, [
    "req",
    "-new",
    "-key",
    "int.key",
    "-subj",
    "/CN=test-intermediate",
    "-out",
    "int.csr",
  ]);
  openssl(dir, [
    "x509",
    "-req",
    "-in",
    "int.csr",
    "-CA",
    "root.pem",
    "-CAkey",
    "root.key",
    "-CAcreateserial",
    "-days",
    "3650",
    "-extfile",
    "ca.ext",
    "-out",
    "int.pem",
  ]);
  openssl(dir, ["req", "-new", "-key", "leaf.key", "-subj", "/CN=test-signer", "-out", "leaf.csr"]);
  openssl(dir, [
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "int.pem",
    "-CAkey",
    "int.key",
    "-CAcreateserial",
    "-days",
    "365",
    "-extfile",
    "leaf.ext",
    "-out",
    "leaf.pem",
  ]);
  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  return {
    leaf: { ...key, certificatePem: read("leaf.pem") },
    intermediatePem: read("int.pem"),
    rootPem: read("root.pem"),
  };
}
