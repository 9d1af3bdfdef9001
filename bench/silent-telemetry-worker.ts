/** bench:ingest's telemetry thread with the detectors off: a Monitor that raises nothing. */
import { Monitor } from "../src/monitor/index.js";
import { serveTelemetry } from "../src/server/telemetry/telemetry-thread.js";

class SilentMonitor extends Monitor {
  override add(): [] {
    return [];
  }
  override tick(): [] {
    return [];
  }
}

serveTelemetry(() => new SilentMonitor());
