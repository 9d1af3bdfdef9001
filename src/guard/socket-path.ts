/**
 * Where the guard daemon listens when no `--socket` is given. The Python client
 * (`clients/python/trainguard/_socket_path.py`) resolves the same way, so both agree without
 * configuration: `TRAINGUARD_GUARD_SOCKET`, else `$XDG_RUNTIME_DIR/trainguard-guard.sock` (a
 * per-user 0700 directory on systemd hosts), else `<TRAINGUARD_HOME>/guard.sock`.
 */
import { join, resolve } from "node:path";

export const SOCKET_ENV = "TRAINGUARD_GUARD_SOCKET";
export const SOCKET_FILE_NAME = "trainguard-guard.sock";
export const HOME_SOCKET_FILE_NAME = "guard.sock";
const DEFAULT_HOME = ".trainguard";

export function defaultSocketPath(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string {
  const explicit = env[SOCKET_ENV];
  if (explicit !== undefined && explicit !== "") return resolve(cwd, explicit);
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== "") return join(runtime, SOCKET_FILE_NAME);
  const home = env.TRAINGUARD_HOME;
  return resolve(
    cwd,
    home !== undefined && home !== "" ? home : DEFAULT_HOME,
    HOME_SOCKET_FILE_NAME,
  );
}
