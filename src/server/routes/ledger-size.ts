/** What the read routes serve up to: the newest signed checkpoint's size. */
import type { RouteContext } from "../app-types.js";

/** Tiles and bundles exist only up to a signed size (C2SP tlog-tiles); 0 before any checkpoint. */
export async function checkpointSize(context: RouteContext): Promise<number> {
  return (await context.service.latestCheckpoint())?.size ?? 0;
}

/** The largest log size each store has been seen at: a log only grows, so it is a lower bound. */
const knownSizes = new WeakMap<object, number>();

/**
 * The log size, read from the store only when `wanted` is beyond every size seen so far: proof
 * and entry reads of sizes already known cost no extra query.
 */
export async function logSizeAtLeast(context: RouteContext, wanted: number): Promise<number> {
  const known = knownSizes.get(context.store) ?? 0;
  if (wanted <= known) return known;
  const size = await context.store.ledgerSize();
  knownSizes.set(context.store, Math.max(known, size));
  return size;
}
