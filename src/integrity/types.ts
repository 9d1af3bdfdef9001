/** The public types of the integrity module (OpenSSF Model Signing v1.0 signatures). */
import type { HashAlgorithm } from "../crypto/hashing/index.js";

export type { HashAlgorithm };
export type Serialization = "files" | "shards";

/** What a signature says about the model, read from its in-toto statement. */
export interface Manifest {
  /** The statement's subject name: the model directory's (or file's) name. */
  readonly modelName: string;
  /** `hash_type` of the serialization: "sha256" or "blake2b" for signatures we can check. */
  readonly hashAlgorithm: string;
  readonly serialization: Serialization;
  /** Bytes per shard; only in "shards" mode. */
  readonly shardSize?: number;
  /** Model-relative POSIX paths the signer left out (`ignore_paths`), as written. */
  readonly ignorePaths: string[];
  /** In the signed order: files (`path`) or shards (`path:start:end`). */
  readonly resources: ManifestResource[];
}

export interface ManifestResource {
  readonly name: string;
  /** "sha256", "blake2b", or "<hash>-sharded-<size>" for shards. */
  readonly algorithm: string;
  /** Lowercase hex. */
  readonly digest: string;
}

/** Bytes hashed so far and the total to hash, for progress bars. */
export type HashProgress = (bytesDone: number, bytesTotal: number) => void;

export interface SignOptions {
  readonly privateKeyPem: string;
  /** Signing certificate first, then the rest of its chain (PEM texts; several per text allowed). */
  readonly certificateChainPem?: string[];
  readonly hashAlgorithm?: HashAlgorithm;
  readonly serialization?: Serialization;
  /** Default 1 000 000 000, the reference signer's. */
  readonly shardSize?: number;
  /** Model-relative POSIX paths to leave out, besides `.git`, `.gitattributes`, `.github`, `.gitignore`. */
  readonly ignorePaths?: string[];
  /** Where the signature will be written; left out of the signature when it is inside the model. */
  readonly signaturePath?: string;
  /** Hash the targets of symbolic links to files (recorded as `allow_symlinks`); default refuse. */
  readonly allowSymlinks?: boolean;
  readonly onProgress?: HashProgress;
}

export interface SignResult {
  /** The Sigstore bundle v0.3 JSON, ready to write. */
  readonly bundleJson: string;
  readonly manifest: Manifest;
  readonly signer: SignerInfo;
}

export interface VerifyOptions {
  /** Verify with this public key (PEM) … */
  readonly publicKeyPem?: string;
  /** … or with a certificate chain ending at one of these trusted certificates (PEM texts). */
  readonly trustedCertificatesPem?: string[];
  /** The signature file's path; left out of the model when it is inside it. */
  readonly signaturePath?: string;
  /** Model-relative POSIX paths the verifier also leaves out. */
  readonly ignorePaths?: string[];
  /** Accept every `ignore_paths` entry the signer wrote (default: only the reference defaults). */
  readonly allowSignerIgnorePaths?: boolean;
  /** Hash the targets of symbolic links instead of refusing them. */
  readonly allowSymlinks?: boolean;
  /** Require this key hint (hex SHA-256 of the signing key's SubjectPublicKeyInfo PEM). */
  readonly expectKeyHint?: string;
  /** Require a signing certificate with this SAN value, subject or common name. */
  readonly expectIdentity?: string;
  readonly onProgress?: HashProgress;
}

export type FindingKind =
  | "modified"
  | "missing"
  | "unexpected"
  | "symlink"
  | "ignore-path"
  | "signature"
  | "identity";

export interface VerifyFinding {
  readonly kind: FindingKind;
  /** Model-relative POSIX path, or "" for findings about the signature itself. */
  readonly path: string;
  readonly detail: string;
}

export interface SignerInfo {
  readonly method: "key" | "certificate";
  /** Hex SHA-256 of the signing key's SubjectPublicKeyInfo PEM (the reference key hint). */
  readonly keyHint: string;
  readonly curve: string;
  /** Certificate signers: the leaf's subject and SAN values. */
  readonly subject?: string;
  readonly identities?: string[];
}

export interface VerifyReport {
  readonly verified: boolean;
  readonly path: string;
  readonly signature: string;
  /** Undefined when the signature was not accepted far enough to say who signed. */
  readonly signer?: SignerInfo;
  /** Undefined when the signature failed before its statement was trusted. */
  readonly manifest?: Manifest;
  readonly findings: VerifyFinding[];
  /** Files hashed and bytes read, for the summary line. */
  readonly stats: { readonly files: number; readonly bytes: number };
}
