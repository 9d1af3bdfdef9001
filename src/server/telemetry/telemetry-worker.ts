/** The server's telemetry thread: the detectors of `trainguard monitor` (see telemetry-thread.ts). */
import { Monitor } from "../../monitor/index.js";
import { serveTelemetry } from "./telemetry-thread.js";

serveTelemetry((settings) => new Monitor({ hangSeconds: settings.hangSeconds }));
