/** The reference's interop vectors (copied unchanged into fixtures/oms) and how its tests verify them. */
import { fileURLToPath } from "node:url";

export const OMS_FIXTURES = fileURLToPath(new URL("../../../fixtures/oms/", import.meta.url));
export const VECTOR_PUBLIC_KEY = `${OMS_FIXTURES}keys/certificate/signing-key-pub.pem`;
export const VECTOR_ROOT = `${OMS_FIXTURES}keys/certificate/ca-cert.pem`;

export interface Vector {
  readonly dir: string;
  /** The path given to verify, relative to the vector's folder ("" for the folder). */
  readonly model: string;
  readonly method: "key" | "certificate";
  /** Model-relative paths the reference test ignores. */
  readonly ignore: readonly string[];
}

/** The table in fixtures/oms/README.md. */
export const VECTORS: readonly Vector[] = [
  { dir: "v0.3.1-elliptic-key", model: "signme-1", method: "key", ignore: [] },
  { dir: "v1.0.0-elliptic-key", model: "signme-1", method: "key", ignore: [] },
  { dir: "v1.0.1-elliptic-key", model: "", method: "key", ignore: ["ignore-me"] },
  { dir: "v1.1.0-elliptic-key", model: "", method: "key", ignore: ["ignore-me"] },
  { dir: "v0.2.0-certificate", model: "", method: "certificate", ignore: [] },
  { dir: "v0.3.1-certificate", model: "", method: "certificate", ignore: [] },
  { dir: "v1.0.0-certificate", model: "", method: "certificate", ignore: [] },
  { dir: "v1.0.1-certificate", model: "", method: "certificate", ignore: ["ignore-me"] },
  { dir: "v1.1.0-certificate", model: "", method: "certificate", ignore: ["ignore-me"] },
];

export const KEYLESS_VECTORS = [
  "v0.3.1-sigstore",
  "v1.0.0-sigstore",
  "v1.0.1-sigstore",
  "v1.1.0-sigstore",
];
