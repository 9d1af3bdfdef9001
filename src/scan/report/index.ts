/** Report formats for a `ScanReport`: JSON, SARIF 2.1.0 and text. */
export { toJson } from "./json.js";
export { printable } from "./printable.js";
export { type SarifOptions, sarifLevel, securitySeverity, toSarif } from "./sarif.js";
export { type TextOptions, toText } from "./text.js";
export { ruleHelpUri, TOOL_INFO, type ToolInfo } from "./tool-info.js";
