/** Report formats for a `VerifyReport`: JSON, SARIF 2.1.0 and text. */
export { toVerifyJson } from "./json.js";
export { toVerifySarif, type VerifySarifTool } from "./sarif.js";
export { toVerifyText, type VerifyTextOptions } from "./text.js";
