/**
 * Model signatures in the OpenSSF Model Signing v1.0 format (Sigstore bundle v0.3, DSSE, in-toto
 * Statement v1), byte-compatible with the reference `model_signing` tool for key and certificate
 * signatures.
 */
export { IntegrityError, type IntegrityErrorCode } from "./integrity-error.js";
export { readManifest } from "./read-manifest.js";
export type { VerifySarifTool, VerifyTextOptions } from "./report/index.js";
export { toVerifyJson, toVerifySarif, toVerifyText } from "./report/index.js";
export { DEFAULT_SHARD_SIZE, modelRelativePath, signModel } from "./sign-model.js";
export type {
  FindingKind,
  HashAlgorithm,
  HashProgress,
  Manifest,
  ManifestResource,
  Serialization,
  SignerInfo,
  SignOptions,
  SignResult,
  VerifyFinding,
  VerifyOptions,
  VerifyReport,
} from "./types.js";
export { verifyModel } from "./verify-model.js";
