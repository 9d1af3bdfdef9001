/** Who produced a report: the tool name, its version and where its rules are documented. */
import { readFileSync } from "node:fs";

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
  /** Home page shown by SARIF viewers next to the tool name. */
  readonly informationUri: string;
  /** `docs/rules.md` as a web page; a rule's anchor is appended to it. */
  readonly rulesUri: string;
}

/** Placeholder until the project has a public home; change it here only. */
const HOMEPAGE = "https://github.com/trainguard/trainguard";

/**
 * The package version, read once from `package.json`. The relative path is the same from
 * `src/scan/report/` (tsx) and `dist/scan/report/` (built), both three levels below the root.
 */
function packageVersion(): string {
  const text = readFileSync(new URL("../../../package.json", import.meta.url), "utf8");
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed === "object" && parsed !== null && "version" in parsed) {
    const { version } = parsed;
    if (typeof version === "string" && version.length > 0) return version;
  }
  throw new Error('Cannot read the trainguard version: "version" is missing from package.json');
}

export const TOOL_INFO: ToolInfo = Object.freeze({
  name: "trainguard",
  version: packageVersion(),
  informationUri: HOMEPAGE,
  rulesUri: `${HOMEPAGE}/blob/main/docs/rules.md`,
});

/** The anchor of a rule's section in `docs/rules.md`: `pickle/dangerous-global` → `pickle-dangerous-global`. */
export function ruleAnchor(rule: string): string {
  return rule
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function ruleHelpUri(rule: string, tool: ToolInfo = TOOL_INFO): string {
  return `${tool.rulesUri}#${ruleAnchor(rule)}`;
}
