import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RULES } from "../rules.js";
import type { FileResult, Finding } from "../types.js";
import { FINGERPRINT_KEY, sarifLevel, toSarif, UNSCANNABLE_RULE } from "./sarif.js";
import { artifactLocation } from "./sarif-location.js";
import { validateGithubSarif } from "./test-support/github-sarif-validator.js";
import {
  CLEAN_PICKLE,
  DANGEROUS_PICKLE,
  MIXED,
  report,
  SUSPICIOUS_ZIP,
  UNSCANNABLE_BLOB,
} from "./test-support/sample-report.js";

// biome-ignore lint/suspicious/noExplicitAny: walking parsed JSON in assertions
type AnyJson = any;

function sarif(...files: FileResult[]): AnyJson {
  return JSON.parse(toSarif(report(files)));
}

describe("toSarif()", () => {
  it("meets GitHub code scanning's SARIF requirements", () => {
    const log = JSON.parse(toSarif(MIXED, { srcRoot: "/repo" }));
    assert.deepEqual(validateGithubSarif(log), []);
    assert.equal(log.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
    assert.equal(log.version, "2.1.0");
    assert.equal(log.runs.length, 1);
    assert.equal(log.runs[0].tool.driver.name, "trainguard");
    assert.deepEqual(log.runs[0].originalUriBaseIds, { "%SRCROOT%": { uri: "file:///repo/" } });
  });

  it("the validator rejects what GitHub rejects", () => {
    const log = sarif(DANGEROUS_PICKLE);
    delete log.runs[0].results[0].locations;
    log.runs[0].tool.driver.rules[0].shortDescription.text = "";
    assert.deepEqual(validateGithubSarif(log), [
      "runs[0].tool.driver.rules[0]: shortDescription.text missing",
      "runs[0].results[0]: needs at least one location",
    ]);
  });

  it("describes each rule used once, with its documented default level and a help link", () => {
    const rules = sarif(DANGEROUS_PICKLE, SUSPICIOUS_ZIP, DANGEROUS_PICKLE).runs[0].tool.driver
      .rules;
    assert.deepEqual(
      rules.map((rule: AnyJson) => rule.id),
      ["pickle/dangerous-global", "pickle/unknown-global", "zip/crc-mismatch"],
    );
    const [dangerous] = rules;
    assert.equal(dangerous.defaultConfiguration.level, "error");
    assert.equal(dangerous.properties["security-severity"], "9.5");
    assert.match(dangerous.helpUri, /docs\/rules\.md#pickle-dangerous-global$/);
  });

  it("maps severities to levels: critical/high error, medium/low warning, info note", () => {
    assert.deepEqual((["critical", "high", "medium", "low", "info"] as const).map(sarifLevel), [
      "error",
      "error",
      "warning",
      "warning",
      "note",
    ]);
    const results = sarif(SUSPICIOUS_ZIP).runs[0].results;
    assert.deepEqual(
      results.map((result: AnyJson) => result.level),
      ["error", "warning"],
    );
  });

  it("gives a byte region for an offset in the file itself", () => {
    const [result] = sarif(DANGEROUS_PICKLE).runs[0].results;
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: "models/evil.pkl", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1, byteOffset: 14, byteLength: 1 },
    });
    assert.equal(result.properties.reference, DANGEROUS_PICKLE.findings[0]?.reference);
  });

  it("puts an archive member in logicalLocations and properties, not in the byte region", () => {
    const result = sarif(SUSPICIOUS_ZIP).runs[0].results[1];
    const [location] = result.locations;
    assert.deepEqual(location.logicalLocations, [
      { fullyQualifiedName: "archive/data.pkl", kind: "member" },
    ]);
    assert.deepEqual(location.physicalLocation.region, { startLine: 1 });
    assert.equal(location.physicalLocation.artifactLocation.uri, "models/sub%20dir/model.pt");
    assert.equal(result.properties.member, "archive/data.pkl");
    assert.equal(result.properties.offset, 120);
    assert.equal(result.properties.stream, 0);
    assert.match(result.message.text, /\(member archive\/data\.pkl at byte 120\)$/);
  });

  it("reports an unscannable file that has no findings under scan/unscannable", () => {
    const log = sarif(UNSCANNABLE_BLOB);
    assert.deepEqual(validateGithubSarif(log), []);
    const [result] = log.runs[0].results;
    assert.equal(result.ruleId, UNSCANNABLE_RULE);
    assert.equal(result.level, "error");
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, "models/blob.bin");
    assert.ok(UNSCANNABLE_RULE in RULES);
  });

  it("writes no results and no rules for a clean report", () => {
    const log = sarif(CLEAN_PICKLE);
    assert.deepEqual(validateGithubSarif(log), []);
    assert.deepEqual(log.runs[0].results, []);
    assert.deepEqual(log.runs[0].tool.driver.rules, []);
  });

  it("fingerprints are stable across runs and distinct between findings", () => {
    const first = sarif(DANGEROUS_PICKLE, SUSPICIOUS_ZIP).runs[0].results;
    const again = sarif(SUSPICIOUS_ZIP, DANGEROUS_PICKLE).runs[0].results;
    const hashes = first.map(
      (result: AnyJson) => result.partialFingerprints.primaryLocationLineHash,
    );
    assert.equal(new Set(hashes).size, hashes.length);
    assert.deepEqual(
      new Set(again.map((result: AnyJson) => result.partialFingerprints.primaryLocationLineHash)),
      new Set(hashes),
    );
    for (const result of first) {
      assert.match(result.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{64}$/);
    }
  });

  it("a moved offset keeps the fingerprint; another member changes it", () => {
    const finding = SUSPICIOUS_ZIP.findings[1] as Finding;
    const moved = {
      ...SUSPICIOUS_ZIP,
      findings: [{ ...finding, location: { ...finding.location, offset: 999 } }],
    };
    const other = {
      ...SUSPICIOUS_ZIP,
      findings: [{ ...finding, location: { member: "archive/other.pkl" } }],
    };
    const base = { ...SUSPICIOUS_ZIP, findings: [finding] };
    const hash = (file: FileResult) =>
      sarif(file).runs[0].results[0].partialFingerprints.primaryLocationLineHash;
    assert.equal(hash(moved), hash(base));
    assert.notEqual(hash(other), hash(base));
  });

  it("describes a rule missing from the catalogue with the worst severity reported", () => {
    const finding: Finding = {
      rule: "future/rule",
      severity: "low",
      message: "m",
      location: {},
      verdict: "suspicious",
    };
    const file = {
      ...SUSPICIOUS_ZIP,
      findings: [finding, { ...finding, severity: "high" as const, message: "n" }],
    };
    const log = sarif(file);
    assert.deepEqual(validateGithubSarif(log), []);
    assert.equal(log.runs[0].tool.driver.rules[0].defaultConfiguration.level, "error");
  });
});

describe("artifactLocation()", () => {
  it("turns a relative path into a %SRCROOT%-relative URI with encoded segments", () => {
    assert.deepEqual(artifactLocation("./a b/c#1.pt"), {
      uri: "a%20b/c%231.pt",
      uriBaseId: "%SRCROOT%",
    });
    assert.deepEqual(artifactLocation("x:y.pt"), { uri: "x%3Ay.pt", uriBaseId: "%SRCROOT%" });
  });

  it("turns an absolute path into a file: URI", () => {
    assert.deepEqual(artifactLocation("/data/m 1.pt"), { uri: "file:///data/m%201.pt" });
  });
});
