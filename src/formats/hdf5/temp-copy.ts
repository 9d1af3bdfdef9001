/**
 * h5wasm reads only real files (its Node build uses Emscripten's NODERAWFS), so bytes held in
 * memory or behind a ByteSource are copied to a private temporary file first, in bounded chunks.
 */
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";

const CHUNK_BYTES = 4 * 1024 * 1024;

/** Copies `source` (at most `maxBytes`) to a temporary file, runs `use` on its path, deletes it. */
export async function withTempCopy<T>(
  source: ByteSource,
  maxBytes: number,
  use: (path: string) => Promise<T>,
): Promise<T> {
  if (source.size > maxBytes) {
    throw new FormatError("LIMIT_EXCEEDED", `Cannot copy ${source.size} bytes: over ${maxBytes}`);
  }
  const dir = await mkdtemp(join(tmpdir(), "trainguard-h5-"));
  try {
    const path = join(dir, "input.h5");
    const handle = await open(path, "wx", 0o600);
    try {
      for (let offset = 0; offset < source.size; offset += CHUNK_BYTES) {
        const bytes = await source.read(offset, Math.min(CHUNK_BYTES, source.size - offset));
        await handle.write(bytes, 0, bytes.length, offset);
      }
    } finally {
      await handle.close();
    }
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
