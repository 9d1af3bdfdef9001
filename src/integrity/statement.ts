/**
 * The in-toto Statement v1 a signature carries (`_signing/signing.py`, `Payload`): one subject
 * named after the model whose SHA-256 digest is the "root", and the
 * `https://model_signing/signature/v1.0` predicate with the serialization and the resources.
 */
import { createHash } from "node:crypto";
import { type PythonJson, toPythonJson } from "./python-json.js";
import type { Manifest, ManifestResource } from "./types.js";

export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const PREDICATE_TYPE = "https://model_signing/signature/v1.0";
/** The v0.2 predicate, still verified by the reference (`dsse_payload_to_manifest_compat`). */
export const PREDICATE_TYPE_V0_2 = "https://model_signing/Digests/v0.1";
/** The model name the reference gives a v0.2 signature, which had none. */
export const V0_2_MODEL_NAME = "compat-undefined-not-present";

/** SHA-256 over the raw resource digests, concatenated in the signed order. */
export function rootDigest(resources: readonly ManifestResource[]): string {
  const hash = createHash("sha256");
  for (const resource of resources) hash.update(Buffer.from(resource.digest, "hex"));
  return hash.digest("hex");
}

/** The statement JSON text; `allowSymlinks` is recorded as the signer hashed. */
export function statementJson(manifest: Manifest, allowSymlinks: boolean): string {
  const serialization: Record<string, PythonJson> = {
    method: manifest.serialization,
    hash_type: manifest.hashAlgorithm,
    allow_symlinks: allowSymlinks,
  };
  if (manifest.serialization === "shards" && manifest.shardSize !== undefined) {
    serialization.shard_size = { pythonFloat: manifest.shardSize };
  }
  serialization.ignore_paths = manifest.ignorePaths;
  return toPythonJson({
    _type: STATEMENT_TYPE,
    subject: [{ name: manifest.modelName, digest: { sha256: rootDigest(manifest.resources) } }],
    predicateType: PREDICATE_TYPE,
    predicate: {
      serialization,
      resources: manifest.resources.map((resource) => ({
        algorithm: resource.algorithm,
        digest: resource.digest,
        name: resource.name,
      })),
    },
  });
}
