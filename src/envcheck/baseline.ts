/**
 * `env verify --baseline SNAP.sig`: checks the environment against a signed snapshot as well as
 * the package records. The snapshot catches what records cannot: a RECORD rewritten together
 * with the file it lists, or a file that no record covers. A baseline whose signature does not
 * verify stops the check (exit 2): nothing it says can be trusted.
 */
import { type VerifyFinding, verifyModel } from "../integrity/index.js";
import { EnvCheckError } from "./env-error.js";
import { severityFor } from "./severity.js";
import type { EnvFinding, FindingKind } from "./types.js";

export interface BaselineOptions {
  /** The snapshot's path (so it is left out when it lies inside the environment). */
  readonly signaturePath: string;
  readonly signatureJson: string;
  readonly publicKeyPem?: string;
  readonly trustedCertificatesPem?: string[];
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

function kindOf(finding: VerifyFinding): FindingKind {
  switch (finding.kind) {
    case "modified":
    case "symlink":
      return "modified";
    case "missing":
      return "missing";
    case "unexpected":
      return "unexpected";
    default:
      return "unverified";
  }
}

/** Findings against the baseline; `packageOf` names the owner of a root-relative path. */
export async function checkBaseline(
  root: string,
  options: BaselineOptions,
  packageOf: (path: string) => string | null,
): Promise<EnvFinding[]> {
  let report: Awaited<ReturnType<typeof verifyModel>>;
  try {
    report = await verifyModel(root, options.signatureJson, {
      signaturePath: options.signaturePath,
      allowSymlinks: true,
      ...(options.publicKeyPem === undefined ? {} : { publicKeyPem: options.publicKeyPem }),
      ...(options.trustedCertificatesPem === undefined
        ? {}
        : { trustedCertificatesPem: options.trustedCertificatesPem }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new EnvCheckError(
      "SNAPSHOT",
      `Cannot check the baseline "${options.signaturePath}": ${message}`,
      {
        cause: error,
      },
    );
  }
  const refused = report.findings.find(
    (finding) => finding.kind === "signature" || finding.kind === "identity",
  );
  if (refused !== undefined) {
    throw new EnvCheckError(
      "SNAPSHOT",
      `Cannot trust the baseline "${options.signaturePath}": ${refused.detail}`,
    );
  }
  return report.findings.map((finding) => {
    const kind = kindOf(finding);
    return {
      kind,
      path: finding.path,
      package: packageOf(finding.path),
      severity: severityFor(kind, finding.path),
      detail: `against the baseline: ${finding.detail}`,
      source: "baseline" as const,
    };
  });
}
