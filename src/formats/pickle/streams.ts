/**
 * Reading one or more consecutive pickle streams, as `pickle.load` called repeatedly on one file
 * does (legacy PyTorch files hold five). Each stream gets a fresh machine and so a fresh memo:
 * a memo shared across streams is a known scanner bypass (technique 15 in the research notes).
 */
import { PickleMachine } from "./machine.js";
import { HIGHEST_PROTOCOL } from "./opcodes.js";
import type { PickleOptions, PickleStream } from "./types.js";

export interface StreamsOptions extends PickleOptions {
  /** Stop after this many streams (default: read until the input ends). */
  readonly maxStreams?: number;
}

/** Reads streams from `start` until the input ends, a stream fails, or `maxStreams` is reached. */
export function readPickleStreams(
  bytes: Uint8Array,
  start = 0,
  options: StreamsOptions = {},
): PickleStream[] {
  const streams: PickleStream[] = [];
  const max = options.maxStreams ?? Number.POSITIVE_INFINITY;
  let pos = start;
  while (pos < bytes.length && streams.length < max) {
    const stream = new PickleMachine(bytes, pos, options).run();
    streams.push(stream);
    if (stream.error) break;
    pos = stream.end;
  }
  return streams;
}

/**
 * Whether bytes open with PROTO and a known version, as every protocol 2+ pickle does. Protocol
 * 0/1 pickles have no such marker: callers run the machine to see whether they load.
 */
export function sniffPickle(bytes: Uint8Array): boolean {
  return bytes[0] === 0x80 && (bytes[1] ?? 0xff) <= HIGHEST_PROTOCOL;
}
