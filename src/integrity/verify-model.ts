/**
 * Verifies a model against a signature, as the reference verifier does (`verifying.Config.verify`)
 * with trainguard's insider policy on top: symbolic links, unsigned files and ignore paths the
 * signer chose are refused unless the verifier allows them, and the signer can be pinned.
 */
import { lstat } from "node:fs/promises";
import { IN_TOTO_PAYLOAD_TYPE, parseBundle } from "./bundle-read.js";
import { compareManifests } from "./compare-manifests.js";
import { hashModel } from "./hash-model.js";
import {
  DEFAULT_IGNORE_PATHS,
  DEFAULT_SIGNATURE_NAME,
  isIgnored,
  normalizeIgnorePath,
  normalizeIgnorePaths,
} from "./ignore-paths.js";
import { IntegrityError } from "./integrity-error.js";
import { comparePaths, parseShardName } from "./path-order.js";
import { pathInside } from "./sign-model.js";
import { readStatement } from "./statement-read.js";
import type { Manifest, VerifyFinding, VerifyOptions, VerifyReport } from "./types.js";
import { checkPins, checkSignature } from "./verify-signature.js";
import { walkModel } from "./walk-model.js";

const HASHES = new Set(["sha256", "blake2b"]);

interface IgnorePlan {
  readonly ignorePaths: string[];
  readonly findings: VerifyFinding[];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new IntegrityError("IO", `Cannot read the model "${path}": ${code}`, { cause: error });
  }
}

/**
 * What to leave out: the reference defaults, the signature file, the verifier's paths and the
 * signer's. A signer's path beyond the defaults is a finding unless the verifier accepts it.
 */
function planIgnores(
  manifest: Manifest,
  signatureRel: string | undefined,
  options: VerifyOptions,
): IgnorePlan {
  const own = normalizeIgnorePaths(options.ignorePaths ?? []);
  const accepted = [...DEFAULT_IGNORE_PATHS, DEFAULT_SIGNATURE_NAME, ...own];
  if (signatureRel !== undefined) accepted.push(signatureRel);
  const ignorePaths = [...DEFAULT_IGNORE_PATHS, ...own];
  if (signatureRel !== undefined) ignorePaths.push(signatureRel);
  const findings: VerifyFinding[] = [];
  for (const entry of manifest.ignorePaths) {
    let path: string;
    try {
      path = normalizeIgnorePath(entry);
    } catch {
      findings.push({
        kind: "ignore-path",
        path: entry,
        detail: "the signer's ignore path is not a path inside the model",
      });
      continue;
    }
    ignorePaths.push(path);
    if (options.allowSignerIgnorePaths === true || isIgnored(path, accepted)) continue;
    findings.push({
      kind: "ignore-path",
      path,
      detail: "the signer left this path out of the signature; the verifier did not name it",
    });
  }
  return { ignorePaths, findings };
}

function failed(
  path: string,
  signature: string,
  findings: VerifyFinding[],
  extra: Partial<VerifyReport> = {},
): VerifyReport {
  return { verified: false, path, signature, findings, stats: { files: 0, bytes: 0 }, ...extra };
}

export async function verifyModel(
  modelPath: string,
  signatureJson: string,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const signaturePath = options.signaturePath ?? "";
  const bundle = parseBundle(signatureJson);
  const check = checkSignature(bundle, options);
  if (check.signer === undefined) {
    const detail = check.problem ?? "the signature was not accepted";
    return failed(modelPath, signaturePath, [{ kind: "signature", path: "", detail }]);
  }
  const signer = check.signer;
  const pins = checkPins(signer, options);
  if (pins.length > 0) {
    const findings = pins.map((detail): VerifyFinding => ({ kind: "identity", path: "", detail }));
    return failed(modelPath, signaturePath, findings, { signer });
  }
  if (bundle.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new IntegrityError(
      "UNSUPPORTED_SIGNATURE",
      `Cannot read the signature: payload type "${bundle.payloadType}"`,
    );
  }
  const statement = readStatement(bundle.payload);
  const { manifest } = statement;
  if (!statement.rootMatches) {
    const detail = "the subject digest does not match the signed resources";
    return failed(modelPath, signaturePath, [{ kind: "signature", path: "", detail }], {
      signer,
      manifest,
    });
  }
  if (!HASHES.has(manifest.hashAlgorithm)) {
    throw new IntegrityError(
      "UNSUPPORTED_SIGNATURE",
      `Cannot check the signature: hash "${manifest.hashAlgorithm}"`,
    );
  }
  const directory = await isDirectory(modelPath);
  const signatureRel =
    directory && signaturePath !== "" ? pathInside(modelPath, signaturePath) : undefined;
  const plan = planIgnores(manifest, signatureRel, options);
  const tree = await walkModel(modelPath, {
    ignorePaths: plan.ignorePaths,
    allowSymlinks: options.allowSymlinks === true,
  });
  const findings: VerifyFinding[] = [...plan.findings];
  for (const link of tree.symlinks) {
    findings.push({
      kind: "symlink",
      path: link,
      detail: "symbolic link in the model (not followed)",
    });
  }
  for (const special of tree.special) {
    findings.push({ kind: "unexpected", path: special, detail: "not a regular file or directory" });
  }
  const serialization = manifest.serialization;
  const hashed = await hashModel(tree.files, {
    algorithm: manifest.hashAlgorithm === "blake2b" ? "blake2b" : "sha256",
    serialization,
    shardSize: manifest.shardSize ?? 1,
    onProgress: options.onProgress,
  });
  const emptyNow = new Set(
    serialization === "shards" ? tree.files.filter((f) => f.size === 0).map((f) => f.name) : [],
  );
  findings.push(...compareManifests(manifest.resources, hashed.resources, serialization, emptyNow));
  if (serialization === "shards") {
    const signedFiles = new Set(
      manifest.resources.map((r) => parseShardName(r.name)?.path ?? r.name),
    );
    for (const name of emptyNow) {
      if (!signedFiles.has(name)) {
        findings.push({
          kind: "unexpected",
          path: name,
          detail: "empty file: a shards signature cannot cover it",
        });
      }
    }
  }
  if (manifest.resources.length === 0) {
    findings.push({ kind: "signature", path: "", detail: "the signature covers no files" });
  }
  findings.sort((a, b) => comparePaths(a.path, b.path));
  return {
    verified: findings.length === 0,
    path: modelPath,
    signature: signaturePath,
    signer,
    manifest,
    findings,
    stats: { files: tree.files.length, bytes: hashed.bytes },
  };
}
