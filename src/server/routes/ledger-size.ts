/** What the read routes serve up to: the newest signed checkpoint's size. */
import type { RouteContext } from "../app-types.js";

/** Tiles and bundles exist only up to a signed size (C2SP tlog-tiles); 0 before any checkpoint. */
export async function checkpointSize(context: RouteContext): Promise<number> {
  return (await context.service.latestCheckpoint())?.size ?? 0;
}
