/**
 * Signs a model as the reference `model_signing` CLI does with `sign key` or `sign certificate`:
 * hash the model, write the statement, sign its DSSE encoding with ECDSA, wrap it in a bundle.
 */
import { lstat } from "node:fs/promises";
import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import { pae } from "../crypto/dsse/pae.js";
import { samePublicKey, signEcdsa } from "../crypto/keys/ec-key.js";
import { IN_TOTO_PAYLOAD_TYPE } from "./bundle-read.js";
import { bundleJson, type WrittenMaterial } from "./bundle-write.js";
import { hashModel } from "./hash-model.js";
import { DEFAULT_IGNORE_PATHS, normalizeIgnorePaths } from "./ignore-paths.js";
import { IntegrityError } from "./integrity-error.js";
import { compareCodePoints } from "./path-order.js";
import {
  certificateSigner,
  certificatesFromPems,
  keySigner,
  privateKeyFromPem,
} from "./signer-keys.js";
import { statementJson } from "./statement.js";
import type { Manifest, SignOptions, SignResult } from "./types.js";
import { walkModel } from "./walk-model.js";

/** The reference signer's shard size (`hashing.Config.use_shard_serialization`). */
export const DEFAULT_SHARD_SIZE = 1_000_000_000;

function unsignable(state: string): never {
  throw new IntegrityError("UNSIGNABLE_MODEL", `Cannot sign the model: ${state}`);
}

/** The model-relative POSIX path of `path` when it lies inside `root`, else undefined. */
export function pathInside(root: string, path: string): string | undefined {
  const rel = relative(resolve(root), resolve(path));
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

/**
 * A path the caller named (relative to `cwd`, as the reference CLI reads `--ignore-paths`) as a
 * model-relative POSIX path; a relative path that is not inside the model that way is read as
 * model-relative. Undefined when it cannot be inside the model.
 */
export function modelRelativePath(
  modelPath: string,
  path: string,
  cwd: string,
): string | undefined {
  const inside = pathInside(modelPath, resolve(cwd, path));
  if (inside !== undefined) return inside;
  if (isAbsolute(path)) return undefined;
  return pathInside(modelPath, resolve(cwd, modelPath, path));
}

/** The subject name: the model's last path component, as `Path.name` (resolved when empty). */
export function modelNameOf(modelPath: string): string {
  return basename(resolve(modelPath));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new IntegrityError("IO", `Cannot read the model "${path}": ${code}`, { cause: error });
  }
}

function checkShardSize(size: number): void {
  if (!Number.isSafeInteger(size) || size <= 0) {
    throw new IntegrityError("USAGE", `Cannot use shard size ${size}: not a positive integer`);
  }
}

export async function signModel(modelPath: string, options: SignOptions): Promise<SignResult> {
  const privateKey = privateKeyFromPem(options.privateKeyPem);
  let material: WrittenMaterial;
  let signer = keySigner(privateKey.publicKey);
  if (options.certificateChainPem !== undefined && options.certificateChainPem.length > 0) {
    const chain = certificatesFromPems(options.certificateChainPem, "the certificate chain");
    const leaf = chain[0];
    if (leaf === undefined || !samePublicKey(leaf.publicKey, privateKey.publicKey.key)) {
      throw new IntegrityError(
        "BAD_KEY",
        "Cannot sign with the certificate chain: its first certificate is not for the private key",
      );
    }
    material = { kind: "x509", certificates: chain.map((certificate) => certificate.raw) };
    signer = certificateSigner(privateKey.publicKey, leaf);
  } else {
    material = { kind: "publicKey", hint: signer.keyHint };
  }
  const serialization = options.serialization ?? "files";
  const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
  checkShardSize(shardSize);
  const hashAlgorithm = options.hashAlgorithm ?? "sha256";
  const allowSymlinks = options.allowSymlinks === true;

  const ignore = new Set([
    ...DEFAULT_IGNORE_PATHS,
    ...normalizeIgnorePaths(options.ignorePaths ?? []),
  ]);
  if (options.signaturePath !== undefined && (await isDirectory(modelPath))) {
    const inside = pathInside(modelPath, options.signaturePath);
    if (inside !== undefined) ignore.add(inside);
  }
  const ignorePaths = [...ignore].sort(compareCodePoints);
  const tree = await walkModel(modelPath, { ignorePaths, allowSymlinks });
  const [link] = tree.symlinks;
  if (link !== undefined) unsignable(`"${link}" is a symbolic link (allow with allowSymlinks)`);
  const [special] = tree.special;
  if (special !== undefined) unsignable(`"${special}" is not a regular file or directory`);
  if (tree.files.length === 0) unsignable("it contains no regular files after the ignore paths");
  const empty = tree.files.find((file) => file.size === 0);
  if (serialization === "shards" && empty !== undefined) {
    // A shard signature has no resource for an empty file, so it could not detect one being
    // added or removed; refuse rather than sign something verification cannot check.
    unsignable(`"${empty.name}" is empty, and shards cannot cover an empty file (use files)`);
  }
  const { resources } = await hashModel(tree.files, {
    algorithm: hashAlgorithm,
    serialization,
    shardSize,
    onProgress: options.onProgress,
  });
  const manifest: Manifest = {
    modelName: modelNameOf(modelPath),
    hashAlgorithm,
    serialization,
    ...(serialization === "shards" ? { shardSize } : {}),
    ignorePaths,
    resources,
  };
  const payload = new TextEncoder().encode(statementJson(manifest, allowSymlinks));
  const signature = signEcdsa(privateKey, pae(IN_TOTO_PAYLOAD_TYPE, payload));
  return { bundleJson: bundleJson(material, payload, signature), manifest, signer };
}
