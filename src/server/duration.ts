/** Durations for `--expires-in`: a positive whole number and one unit, e.g. `90m`, `12h`, `30d`. */
import { ServerError } from "./server-error.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^([1-9][0-9]{0,8})([smhdw])$/;

/** Milliseconds in `text`; INVALID_CONFIG for anything else. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (match === null) {
    throw new ServerError(
      "INVALID_CONFIG",
      `Cannot parse duration "${text}": expected a number and one of s, m, h, d, w (e.g. 30d)`,
    );
  }
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
