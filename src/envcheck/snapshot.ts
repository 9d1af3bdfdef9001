/**
 * `env snapshot`: a signed baseline of an environment, as an OpenSSF Model Signing signature
 * (files serialization) over every file below PATH, so `trainguard verify` checks it like a model
 * and `env verify --baseline` and `env diff` read it. Symbolic links to files (a venv's
 * `bin/python`) are hashed through, as `allow_symlinks`; links to directories (`lib64`) are not
 * entered. Compiled caches are included: a poisoned `.pyc` is part of the threat.
 */
import { type HashAlgorithm, type Manifest, signModel } from "../integrity/index.js";
import { EnvCheckError } from "./env-error.js";
import { detectLayout } from "./layout.js";
import type { LayoutKind } from "./types.js";

export interface SnapshotOptions {
  readonly privateKeyPem: string;
  readonly certificateChainPem?: string[];
  /** Where the signature will be written; left out when it is inside the environment. */
  readonly signaturePath?: string;
  readonly hashAlgorithm?: HashAlgorithm;
  readonly ignorePaths?: string[];
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export interface SnapshotResult {
  readonly bundleJson: string;
  readonly manifest: Manifest;
  readonly layout: LayoutKind;
}

export async function snapshotEnvironment(
  path: string,
  options: SnapshotOptions,
): Promise<SnapshotResult> {
  const layout = await detectLayout(path);
  try {
    const { bundleJson, manifest } = await signModel(layout.root, {
      privateKeyPem: options.privateKeyPem,
      serialization: "files",
      allowSymlinks: true,
      ...(options.certificateChainPem === undefined
        ? {}
        : { certificateChainPem: options.certificateChainPem }),
      ...(options.signaturePath === undefined ? {} : { signaturePath: options.signaturePath }),
      ...(options.hashAlgorithm === undefined ? {} : { hashAlgorithm: options.hashAlgorithm }),
      ...(options.ignorePaths === undefined ? {} : { ignorePaths: options.ignorePaths }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    return { bundleJson, manifest, layout: layout.kind };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new EnvCheckError(
      "SNAPSHOT",
      message.startsWith("Cannot ")
        ? message
        : `Cannot snapshot the environment "${path}": ${message}`,
      { cause: error },
    );
  }
}
