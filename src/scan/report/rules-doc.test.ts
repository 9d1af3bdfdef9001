import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { RULES } from "../rules.js";
import { RULE_DESCRIPTIONS } from "./rule-descriptions.js";
import { ruleAnchor, ruleHelpUri } from "./tool-info.js";

const DOC = readFileSync(new URL("../../../docs/rules.md", import.meta.url), "utf8");

interface DocumentedRule {
  readonly anchor: string;
  readonly rule: string;
  readonly severity: string | undefined;
  readonly verdict: string | undefined;
}

function documentedRules(): DocumentedRule[] {
  const sections = [
    ...DOC.matchAll(/<a id="([^"]+)"><\/a>\n\n### `([^`]+)`\n([\s\S]*?)(?=\n<a id=|\n## |$)/g),
  ];
  return sections.map(([, anchor = "", rule = "", body = ""]) => ({
    anchor,
    rule,
    severity: /\*\*Severity:\*\* (\w+)/.exec(body)?.[1],
    verdict: /\*\*Verdict:\*\* (\w+)/.exec(body)?.[1],
  }));
}

describe("docs/rules.md", () => {
  it("documents every rule the scanner reports, and no other", () => {
    const documented = documentedRules().map((entry) => entry.rule);
    assert.deepEqual([...documented].sort(), Object.keys(RULES).sort());
    assert.equal((DOC.match(/^### /gm) ?? []).length, documented.length);
  });

  it("gives each rule the severity and verdict the scanner uses", () => {
    for (const entry of documentedRules()) {
      const info = RULES[entry.rule as keyof typeof RULES];
      assert.equal(entry.severity, info.severity, entry.rule);
      assert.equal(entry.verdict, info.verdict, entry.rule);
    }
  });

  it("has the anchor that SARIF helpUri links to for each rule", () => {
    for (const entry of documentedRules()) {
      assert.equal(entry.anchor, ruleAnchor(entry.rule));
      assert.ok(ruleHelpUri(entry.rule).endsWith(`docs/rules.md#${entry.anchor}`));
    }
  });

  it("every rule has a one-line SARIF description", () => {
    assert.deepEqual(Object.keys(RULE_DESCRIPTIONS).sort(), Object.keys(RULES).sort());
  });
});
