/**
 * A small validator for the SARIF subset GitHub code scanning ingests ("SARIF support for code
 * scanning", GitHub Docs): required properties, value ranges and upload limits. It checks what our
 * writer could get wrong, not the whole SARIF 2.1.0 schema.
 */

type Json = Record<string, unknown>;
type Fail = (where: string, what: string) => void;

const RESULT_LEVELS = new Set(["none", "note", "warning", "error"]);
const RULE_LEVELS = new Set(["note", "warning", "error"]);
/** GitHub's limits per run and per rule. */
const MAX_RESULTS = 25_000;
const MAX_RULES = 25_000;
const MAX_LOCATIONS = 10;
const MAX_DESCRIPTION = 1024;
const MAX_NAME = 255;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function text(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === "string" && value.text !== ""
    ? value.text
    : undefined;
}

function isCount(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function checkRule(rule: unknown, where: string, fail: Fail): string | undefined {
  if (!isObject(rule) || typeof rule.id !== "string" || rule.id === "") {
    fail(where, "no id");
    return undefined;
  }
  if (typeof rule.name === "string" && rule.name.length > MAX_NAME) fail(where, "name too long");
  for (const key of ["shortDescription", "fullDescription"]) {
    const value = text(rule[key]);
    if (value === undefined) fail(where, `${key}.text missing`);
    else if (value.length > MAX_DESCRIPTION) fail(where, `${key}.text too long`);
  }
  if (text(rule.help) === undefined) fail(where, "help.text missing");
  const level = isObject(rule.defaultConfiguration) ? rule.defaultConfiguration.level : undefined;
  if (level !== undefined && !RULE_LEVELS.has(String(level)))
    fail(where, "bad defaultConfiguration.level");
  const score = isObject(rule.properties) ? rule.properties["security-severity"] : undefined;
  if (
    score !== undefined &&
    !(typeof score === "string" && Number(score) > 0 && Number(score) <= 10)
  ) {
    fail(where, "bad security-severity");
  }
  return rule.id;
}

function checkLocation(location: unknown, where: string, fail: Fail): void {
  const physical = isObject(location) ? location.physicalLocation : undefined;
  if (!isObject(physical)) {
    fail(where, "physicalLocation missing");
    return;
  }
  const artifact = physical.artifactLocation;
  if (!isObject(artifact) || typeof artifact.uri !== "string" || artifact.uri === "") {
    fail(where, "artifactLocation.uri missing");
    return;
  }
  if (/[\s\\]/.test(artifact.uri)) fail(where, `uri ${artifact.uri} has a space or backslash`);
  if (!URL.canParse(artifact.uri, "file:///checkout/"))
    fail(where, `uri ${artifact.uri} is not a URI reference`);
  const region = physical.region;
  if (!isObject(region) || !isCount(region.startLine) || Number(region.startLine) < 1) {
    fail(where, "region.startLine missing");
    return;
  }
  for (const key of ["byteOffset", "byteLength"]) {
    if (region[key] !== undefined && !isCount(region[key])) fail(where, `bad region.${key}`);
  }
}

function checkResult(result: unknown, where: string, ruleIds: readonly string[], fail: Fail): void {
  if (!isObject(result)) {
    fail(where, "not an object");
    return;
  }
  if (text(result.message) === undefined) fail(where, "message.text missing");
  if (typeof result.ruleId === "string" && !ruleIds.includes(result.ruleId))
    fail(where, "ruleId not in rules");
  if (result.ruleIndex !== undefined && ruleIds[Number(result.ruleIndex)] !== result.ruleId) {
    fail(where, "ruleIndex does not point at ruleId");
  }
  if (result.level !== undefined && !RESULT_LEVELS.has(String(result.level)))
    fail(where, "bad level");
  const fingerprints = result.partialFingerprints;
  if (!isObject(fingerprints) || typeof fingerprints.primaryLocationLineHash !== "string") {
    fail(where, "partialFingerprints.primaryLocationLineHash missing");
  }
  const locations = list(result.locations);
  if (locations === undefined || locations.length === 0) {
    fail(where, "needs at least one location");
    return;
  }
  if (locations.length > MAX_LOCATIONS) fail(where, "too many locations");
  for (const [i, location] of locations.entries())
    checkLocation(location, `${where}.locations[${i}]`, fail);
}

function checkRun(run: unknown, where: string, fail: Fail): void {
  const driver = isObject(run) && isObject(run.tool) ? run.tool.driver : undefined;
  if (!isObject(run) || !isObject(driver)) {
    fail(`${where}.tool.driver`, "missing");
    return;
  }
  if (typeof driver.name !== "string" || driver.name === "")
    fail(`${where}.tool.driver.name`, "missing");
  const rules = list(driver.rules);
  if (rules === undefined) {
    fail(`${where}.tool.driver.rules`, "missing");
    return;
  }
  if (rules.length > MAX_RULES) fail(`${where}.tool.driver.rules`, "too many");
  const ruleIds: string[] = [];
  for (const [i, rule] of rules.entries()) {
    const id = checkRule(rule, `${where}.tool.driver.rules[${i}]`, fail);
    if (id !== undefined && ruleIds.includes(id))
      fail(`${where}.tool.driver.rules[${i}]`, `duplicate id ${id}`);
    ruleIds.push(id ?? "");
  }
  const results = list(run.results);
  if (results === undefined) {
    fail(`${where}.results`, "missing");
    return;
  }
  if (results.length > MAX_RESULTS) fail(`${where}.results`, "too many");
  for (const [i, result] of results.entries())
    checkResult(result, `${where}.results[${i}]`, ruleIds, fail);
}

/** Every way `log` falls short of what GitHub code scanning needs; empty when it is fine. */
export function validateGithubSarif(log: unknown): string[] {
  const errors: string[] = [];
  const fail: Fail = (where, what) => {
    errors.push(`${where}: ${what}`);
  };
  if (!isObject(log)) return ["log: not an object"];
  if (typeof log.$schema !== "string" || !log.$schema.startsWith("https://"))
    fail("$schema", "missing");
  if (log.version !== "2.1.0") fail("version", `expected "2.1.0", got ${String(log.version)}`);
  const runs = list(log.runs);
  if (runs === undefined || runs.length === 0) fail("runs", "missing or empty");
  for (const [i, run] of (runs ?? []).entries()) checkRun(run, `runs[${i}]`, fail);
  return errors;
}
