export { Monitor, type MonitorOptions } from "./monitor.js";
export { parseTelemetryRecord } from "./parse-record.js";
export type * from "./telemetry.js";
export { TelemetryError, type TelemetryErrorCode } from "./telemetry-error.js";
