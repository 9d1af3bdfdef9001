/** The `--port` parser of `trainguard serve`; throws InvalidArgumentError, which exits 2. */
import { InvalidArgumentError } from "@commander-js/extra-typings";

/** A TCP port, 0 (the system picks a free one) to 65535; digits only, no leading zero. */
export function parsePort(value: string): number {
  const parsed = Number(value);
  if (!/^(0|[1-9][0-9]{0,4})$/.test(value) || parsed > 65535) {
    throw new InvalidArgumentError("Expected a port number from 0 to 65535");
  }
  return parsed;
}
