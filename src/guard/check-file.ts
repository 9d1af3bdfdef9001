/**
 * One guard check: read the file once, hash and scan those same bytes, and (when asked) verify its
 * signature and bind the signed digest to the same hash. Results are cached by file identity so a
 * second load of an unchanged file costs an `fstat`. When the client sent the identity of its
 * own descriptor and that identity proves the content (identity-proof.ts), the reply says
 * `sameFile` and the daemon need not hash at all: nobody compares a digest then.
 */
import { createHash } from "node:crypto";
import { type FileHandle, open, readFile, stat } from "node:fs/promises";
import { verifyModel } from "../integrity/index.js";
import {
  DEFAULT_SCAN_LIMITS,
  type FileResult,
  type Finding,
  type ScanOptions,
  scanBuffer,
  scanFile,
} from "../scan/index.js";
import { GuardError } from "./guard-error.js";
import { ctimeSettled, prepareIdentityProof } from "./identity-proof.js";
import type { FileIdentity, GuardReply, VerifyRequest } from "./protocol.js";
import { identityKey, type ResultCache, requestIdentityKey } from "./result-cache.js";

export interface CachedScan {
  readonly result: FileResult;
  /** Hex SHA-256 of the bytes scanned; "" when not computed (the identity proves them). */
  readonly sha256: string;
  /** The file's identity proves these bytes as long as it is unchanged. */
  readonly proof: boolean;
  /** No proof only because the file had just changed: a later rescan may give one. */
  readonly tooRecent?: boolean;
}

export interface CheckOptions {
  readonly scan: ScanOptions;
  readonly cache: ResultCache<CachedScan>;
}

function unreadable(message: string): Finding {
  return {
    rule: "scan/unscannable",
    severity: "high",
    message,
    location: {},
    verdict: "unscannable",
  };
}

function unreadableResult(path: string, size: number, message: string): FileResult {
  return {
    path,
    format: "unknown",
    verdict: "unscannable",
    findings: [unreadable(message)],
    size,
    bytesRead: 0,
  };
}

function failedReply(message: string): GuardReply {
  return {
    verdict: "unscannable",
    findings: [unreadable(message)],
    format: "unknown",
    size: 0,
    cached: false,
  };
}

async function readAll(handle: FileHandle, size: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(size);
  let done = 0;
  while (done < size) {
    const { bytesRead } = await handle.read(buffer, done, size - done, done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

async function scanHandle(
  path: string,
  options: CheckOptions,
  identity: FileIdentity | undefined,
  verify: boolean,
): Promise<CachedScan & { cached: boolean; sameIdentity: boolean }> {
  const handle = await open(path, "r");
  try {
    const before = await handle.stat({ bigint: true });
    if (!before.isFile()) {
      const message = `Cannot read file "${path}": it is not a regular file`;
      const result = unreadableResult(path, 0, message);
      return { result, sha256: "", proof: false, cached: false, sameIdentity: false };
    }
    const key = identityKey(before);
    const sameIdentity = identity !== undefined && requestIdentityKey(identity) === key;
    const hit = options.cache.get(key);
    // A hit serves this request when it carries what the request needs: a digest, or a proof.
    // An entry scanned right after the file changed is scanned once more when it could now
    // give the proof, so that later loads need no hashing on either side.
    const upgrade = sameIdentity && hit?.tooRecent === true && ctimeSettled(before);
    if (
      hit !== undefined &&
      !upgrade &&
      (hit.sha256 !== "" || (sameIdentity && hit.proof && !verify))
    ) {
      return { ...hit, cached: true, sameIdentity };
    }
    const limit = options.scan.limits?.maxReadBytes ?? DEFAULT_SCAN_LIMITS.maxReadBytes;
    if (before.size > BigInt(limit)) {
      return { ...(await scanLarge(handle, path, key, options)), sameIdentity };
    }
    const readiness = await prepareIdentityProof(handle, before);
    const proof = readiness === "proof";
    // A digest is needed unless the identity proves the bytes to this client and no signature
    // is to be bound to them.
    const needDigest = verify || !(sameIdentity && proof);
    const bytes = await readAll(handle, Number(before.size));
    const sha256 = needDigest ? createHash("sha256").update(bytes).digest("hex") : "";
    const result = await scanBuffer(bytes, path, options.scan);
    const after = await handle.stat({ bigint: true });
    const stable = identityKey(after) === key && bytes.length === Number(before.size);
    // Only cache what was stable while we read it; the reply is right for these bytes either way,
    // but only a stable read can prove anything about the file.
    if (stable) {
      options.cache.set(key, { result, sha256, proof, tooRecent: readiness === "too-recent" });
    }
    return { result, sha256, proof: stable && proof, cached: false, sameIdentity };
  } finally {
    await handle.close();
  }
}

/** Bytes hashed per read when a file is too large to hold; 4 MiB keeps syscalls few. */
const HASH_CHUNK_BYTES = 4 * 1024 * 1024;

async function hashHandle(handle: FileHandle): Promise<string> {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest("hex");
}

/**
 * A file over the read bound is not held in memory: it is hashed through the open descriptor and
 * scanned by path (the scanner reads only what it needs: a 1 GiB checkpoint costs tens of KB).
 * Hash and scan are two reads, so both must have seen one unchanged inode: the path must still
 * name the descriptor's file, with the same identity, after the scan.
 */
async function scanLarge(
  handle: FileHandle,
  path: string,
  key: string,
  options: CheckOptions,
): Promise<CachedScan & { cached: boolean }> {
  const sha256 = await hashHandle(handle);
  const result = await scanFile(path, options.scan);
  const [afterFd, afterPath] = await Promise.all([
    handle.stat({ bigint: true }),
    stat(path, { bigint: true }).catch(() => undefined),
  ]);
  if (identityKey(afterFd) !== key || afterPath === undefined || identityKey(afterPath) !== key) {
    const message = `Cannot scan file "${path}": it changed while it was being checked`;
    const unstable = unreadableResult(path, result.size, message);
    return { result: unstable, sha256, proof: false, cached: false };
  }
  options.cache.set(key, { result, sha256, proof: false });
  return { result, sha256, proof: false, cached: false };
}

async function readVerifyInput(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new GuardError(
      "verify-input-unreadable",
      `Cannot read ${what} "${path}": ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Verifies the signature and checks that the digest it signs is the digest of the bytes scanned. */
async function verifySame(
  path: string,
  sha256: string,
  verify: VerifyRequest,
): Promise<{ verified: boolean; verifyFindings: string[] }> {
  const [signature, publicKeyPem] = await Promise.all([
    readVerifyInput(verify.signature, "signature"),
    readVerifyInput(verify.publicKey, "public key"),
  ]);
  const report = await verifyModel(path, signature, {
    publicKeyPem,
    signaturePath: verify.signature,
  });
  const verifyFindings = report.findings.map((f) => `${f.kind} ${f.path}: ${f.detail}`);
  if (!report.verified) return { verified: false, verifyFindings };
  const resources = report.manifest?.resources ?? [];
  const only = resources[0];
  if (
    resources.length !== 1 ||
    only === undefined ||
    only.algorithm !== "sha256" ||
    only.digest !== sha256
  ) {
    verifyFindings.push(
      "Cannot bind signature to the scanned bytes: it does not sign one file by its SHA-256 equal to the scanned digest",
    );
    return { verified: false, verifyFindings };
  }
  return { verified: true, verifyFindings };
}

export async function checkFile(
  path: string,
  verify: VerifyRequest | undefined,
  options: CheckOptions,
  identity?: FileIdentity,
): Promise<GuardReply> {
  let scanned: CachedScan & { cached: boolean; sameIdentity: boolean };
  try {
    scanned = await scanHandle(path, options, identity, verify !== undefined);
  } catch (error) {
    return failedReply(`Cannot read file "${path}": ${(error as Error).message}`);
  }
  const { result, sha256, cached } = scanned;
  const base: GuardReply = {
    verdict: result.verdict,
    findings: result.findings,
    format: result.format,
    size: result.size,
    ...(sha256 === "" ? {} : { sha256 }),
    cached,
    ...(identity === undefined ? {} : { sameFile: scanned.sameIdentity && scanned.proof }),
  };
  if (verify === undefined) return base;
  if (sha256 === "")
    return { ...base, verified: false, verifyFindings: ["Cannot verify a file that was not read"] };
  return { ...base, ...(await verifySame(path, sha256, verify)) };
}
