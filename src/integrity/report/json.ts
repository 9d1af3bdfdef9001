/**
 * The JSON report of `trainguard verify` (documented in docs/signing.md):
 * `{"verified", "path", "signature", "signer", "findings", "checked"}` in a fixed key order.
 */
import type { SignerInfo, VerifyReport } from "../types.js";

function signerJson(signer: SignerInfo | undefined): Record<string, unknown> | null {
  if (signer === undefined) return null;
  const out: Record<string, unknown> = {
    method: signer.method,
    keyHint: signer.keyHint,
    curve: signer.curve,
  };
  if (signer.subject !== undefined) out.subject = signer.subject;
  if (signer.identities !== undefined) out.identities = signer.identities;
  return out;
}

/** Pretty-printed, 2-space indent, no trailing newline. */
export function toVerifyJson(report: VerifyReport): string {
  const { manifest } = report;
  return JSON.stringify(
    {
      verified: report.verified,
      path: report.path,
      signature: report.signature,
      signer: signerJson(report.signer),
      findings: report.findings.map((f) => ({ kind: f.kind, path: f.path, detail: f.detail })),
      checked:
        manifest === undefined
          ? null
          : {
              modelName: manifest.modelName,
              serialization: manifest.serialization,
              hashAlgorithm: manifest.hashAlgorithm,
              ...(manifest.shardSize === undefined ? {} : { shardSize: manifest.shardSize }),
              ignorePaths: manifest.ignorePaths,
              resources: manifest.resources.length,
              files: report.stats.files,
              bytes: report.stats.bytes,
            },
    },
    null,
    2,
  );
}
