/**
 * An independent OpenSSF Model Signing v1.0 checker, written from the specifications (Sigstore
 * bundle v0.3, DSSE protocol.md, in-toto Statement v1, the OMS predicate) with node:crypto only.
 * It imports nothing from src/integrity, so a bug shared by our signer and verifier cannot hide.
 */
import { createHash, createPublicKey, verify, X509Certificate } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

interface Resource {
  name: string;
  algorithm: string;
  digest: string;
}

export interface CheckerResult {
  readonly statement: {
    subject: { name: string; digest: { sha256: string } }[];
    predicateType: string;
    predicate: {
      serialization: Record<string, unknown>;
      resources: Resource[];
    };
  };
}

const fail = (why: string): never => {
  throw new Error(`independent checker: ${why}`);
};

function dssePae(type: string, body: Buffer): Buffer {
  const head = `DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `;
  return Buffer.concat([Buffer.from(head, "utf8"), body]);
}

function curveHash(key: ReturnType<typeof createPublicKey>): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === "prime256v1") return "sha256";
  if (curve === "secp384r1") return "sha384";
  return fail(`unexpected curve ${String(curve)}`);
}

/** All regular files under `root`, relative, minus `ignore` (each covering its subtree). */
function listFiles(root: string, ignore: readonly string[]): string[] {
  if (statSync(root).isFile()) return ["."];
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const name = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (ignore.some((i) => name === i || name.startsWith(`${i}/`))) continue;
      if (entry.isDirectory()) visit(name);
      else if (entry.isFile()) out.push(name);
      else fail(`not a regular file: ${name}`);
    }
  };
  visit("");
  return out;
}

/** Python sorts PurePosixPath keys by their component tuples, strings by code point. */
function pathKey(a: string, b: string): number {
  const x = a.split("/");
  const y = b.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const p = [...(x[i] ?? "")].map((c) => c.codePointAt(0) ?? 0);
    const q = [...(y[i] ?? "")].map((c) => c.codePointAt(0) ?? 0);
    for (let j = 0; j < Math.min(p.length, q.length); j += 1) {
      if (p[j] !== q[j]) return (p[j] ?? 0) - (q[j] ?? 0);
    }
    if (p.length !== q.length) return p.length - q.length;
  }
  return x.length - y.length;
}

function digestOf(path: string, hash: string, start: number, end: number): string {
  const h = createHash(hash === "blake2b" ? "blake2b512" : "sha256");
  const bytes = readFileSync(path);
  h.update(bytes.subarray(start, end));
  return h.digest("hex");
}

function expectedResources(root: string, serialization: Record<string, unknown>): Resource[] {
  const hash = String(serialization.hash_type);
  const ignore = (serialization.ignore_paths as string[] | undefined) ?? [];
  const files = listFiles(root, ignore).sort(pathKey);
  const pathOf = (name: string) => (name === "." ? root : join(root, name));
  if (serialization.method === "files") {
    return files.map((name) => ({
      name,
      algorithm: hash,
      digest: digestOf(pathOf(name), hash, 0, Infinity),
    }));
  }
  const size = Number(serialization.shard_size);
  const out: Resource[] = [];
  for (const name of files) {
    const length = statSync(pathOf(name)).size;
    for (let start = 0; start < length; start += size) {
      const end = Math.min(length, start + size);
      out.push({
        name: `${name}:${start}:${end}`,
        algorithm: `${hash}-sharded-${size}`,
        digest: digestOf(pathOf(name), hash, start, end),
      });
    }
  }
  return out;
}

export interface CheckerTrust {
  /** PEM public key, for key signatures. */
  readonly publicKeyPem?: string;
  /** PEM root certificate, for certificate signatures. */
  readonly rootPem?: string;
}

/** Throws unless the bundle is a valid OMS v1.0 signature of the model at `root`. */
export function checkIndependently(
  bundleText: string,
  root: string,
  trust: CheckerTrust,
): CheckerResult {
  const bundle = JSON.parse(bundleText);
  if (bundle.mediaType !== "application/vnd.dev.sigstore.bundle.v0.3+json") fail("media type");
  const envelope = bundle.dsseEnvelope;
  if (envelope.payloadType !== "application/vnd.in-toto+json") fail("payload type");
  if (envelope.signatures.length !== 1) fail("signature count");
  const payload = Buffer.from(envelope.payload, "base64");
  const sig = Buffer.from(envelope.signatures[0].sig, "base64");
  const material = bundle.verificationMaterial;
  let key: ReturnType<typeof createPublicKey>;
  if (trust.publicKeyPem !== undefined) {
    key = createPublicKey(trust.publicKeyPem);
    const pem = key.export({ type: "spki", format: "pem" });
    if (material.publicKey.hint !== createHash("sha256").update(pem).digest("hex"))
      fail("key hint");
    if (material.tlogEntries.length !== 0) fail("tlog entries");
  } else {
    const certs = material.x509CertificateChain.certificates.map(
      (c: { rawBytes: string }) => new X509Certificate(Buffer.from(c.rawBytes, "base64")),
    );
    const root = new X509Certificate(trust.rootPem ?? fail("no root"));
    const chain = [...certs, root];
    for (let i = 0; i + 1 < chain.length; i += 1) {
      if (!chain[i].verify(chain[i + 1].publicKey)) fail(`certificate ${i} not signed by the next`);
    }
    key = certs[0].publicKey;
  }
  if (!verify(curveHash(key), dssePae(envelope.payloadType, payload), key, sig))
    fail("ECDSA signature");
  const statement = JSON.parse(payload.toString("utf8"));
  if (statement._type !== "https://in-toto.io/Statement/v1") fail("statement type");
  if (statement.predicateType !== "https://model_signing/signature/v1.0") fail("predicate type");
  if (statement.subject.length !== 1) fail("subject count");
  const resources: Resource[] = statement.predicate.resources;
  const rootDigest = createHash("sha256");
  for (const r of resources) rootDigest.update(Buffer.from(r.digest, "hex"));
  if (statement.subject[0].digest.sha256 !== rootDigest.digest("hex")) fail("root digest");
  const expected = expectedResources(root, statement.predicate.serialization);
  const simplify = (list: Resource[]) =>
    list.map((r) => `${r.name} ${r.algorithm} ${r.digest}`).join("\n");
  if (simplify(expected) !== simplify(resources)) {
    fail(`resources differ:\n${simplify(expected)}\n---\n${simplify(resources)}`);
  }
  return { statement };
}
