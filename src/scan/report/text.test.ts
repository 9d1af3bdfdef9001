import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FileResult } from "../types.js";
import {
  CLEAN_PICKLE,
  DANGEROUS_PICKLE,
  MIXED,
  report,
  SUSPICIOUS_ZIP,
} from "./test-support/sample-report.js";
import { formatLocation, toText } from "./text.js";

const ESC = "\u001b";

describe("toText()", () => {
  it("starts with the summary and lists only files that are not clean", () => {
    const lines = toText(MIXED, { color: false }).split("\n");
    assert.equal(lines[0], "Scanned 4 files: 1 clean, 1 suspicious, 1 dangerous, 1 unscannable");
    const text = lines.join("\n");
    assert.ok(!text.includes("models/ok.pkl"));
    assert.match(text, /^ {2}dangerous +pickle +models\/evil\.pkl$/m);
    assert.match(text, /^ {2}unscannable +unknown +models\/blob\.bin$/m);
    assert.match(
      text,
      /^ {4}critical +pickle\/dangerous-global +Cannot allow global os\.system.* @14$/m,
    );
    assert.match(
      text,
      /^ {4}medium +pickle\/unknown-global +Global mylib\.Layer .* archive\/data\.pkl@120$/m,
    );
    assert.ok(!text.endsWith("\n"));
  });

  it("prints the summary and 'No findings.' when every file is clean", () => {
    assert.equal(
      toText(report([CLEAN_PICKLE]), { color: false }),
      "Scanned 1 file: 1 clean, 0 suspicious, 0 dangerous, 0 unscannable\nNo findings.",
    );
  });

  it("does not claim 'No findings.' when clean files carry informational findings", () => {
    const info: FileResult = {
      ...CLEAN_PICKLE,
      findings: [
        {
          rule: "pickle/weights-only-incompatible",
          severity: "info",
          message: "MEMOIZE is refused by weights_only",
          location: { offset: 3 },
          verdict: "clean",
        },
      ],
    };
    const text = toText(report([info]), { color: false });
    assert.doesNotMatch(text, /No findings\./);
    assert.match(text, /1 informational finding/);
  });

  it("prints only the summary line when quiet", () => {
    assert.equal(
      toText(MIXED, { color: false, quiet: true }),
      "Scanned 4 files: 1 clean, 1 suspicious, 1 dangerous, 1 unscannable",
    );
  });

  it("colours verdicts only when asked", () => {
    assert.ok(!toText(MIXED, { color: false }).includes(ESC));
    assert.ok(toText(MIXED, { color: true }).includes(`${ESC}[31m`));
  });

  it("escapes terminal control characters and bidi overrides from file content", () => {
    const hostile: FileResult = {
      ...SUSPICIOUS_ZIP,
      path: `evil${ESC}]0;owned\u0007.pt`,
      findings: [
        {
          rule: "zip/crc-mismatch",
          severity: "high",
          message: `bad member ${ESC}[2J`,
          location: { member: "a\u202eexe.pkl\nfake line" },
          verdict: "suspicious",
        },
      ],
    };
    const text = toText(report([hostile, DANGEROUS_PICKLE]), { color: false });
    assert.ok(!text.includes(ESC));
    assert.ok(!text.includes("\u202e"));
    assert.match(text, /evil\\x1b\]0;owned\\x07\.pt/);
    assert.match(text, /a\\u202eexe\.pkl\\x0afake line/);
  });
});

describe("formatLocation()", () => {
  it("writes member@offset, member, @offset or nothing", () => {
    assert.equal(formatLocation({ member: "a/data.pkl", offset: 7 }), "a/data.pkl@7");
    assert.equal(formatLocation({ member: "a/data.pkl" }), "a/data.pkl");
    assert.equal(formatLocation({ offset: 0 }), "@0");
    assert.equal(formatLocation({}), "");
  });
});
