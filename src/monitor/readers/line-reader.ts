/**
 * Streams a text file line by line with a bound on the line length, so that a 10 GB log, or one
 * 10 GB line, costs one chunk of memory and not the file.
 */
import { open } from "node:fs/promises";

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** Fatal: invalid UTF-8 is an error, not U+FFFD. Stateless between calls (no `stream`). */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

export type Line =
  | { readonly number: number; readonly text: string }
  | { readonly number: number; readonly problem: string };

function decode(parts: readonly Uint8Array[], length: number, number: number): Line {
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === CARRIAGE_RETURN) end -= 1;
  try {
    // A UTF-8 byte-order mark is allowed once, at the start of the file.
    const start = number === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const text = UTF8.decode(bytes.subarray(start ? 3 : 0, end));
    return { number, text };
  } catch {
    return { number, problem: "Cannot decode line: not valid UTF-8" };
  }
}

/** Yields every line (without its `\n` or `\r\n`), or a problem for a line longer than `maxBytes`. */
export async function* readLines(path: string, maxBytes: number): AsyncGenerator<Line> {
  const handle = await open(path, "r");
  try {
    const chunk = new Uint8Array(CHUNK_BYTES);
    let parts: Uint8Array[] = [];
    let length = 0;
    let tooLong = false;
    let number = 1;
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let from = 0;
      while (from < bytesRead) {
        const newline = chunk.indexOf(NEWLINE, from);
        const to = newline === -1 || newline >= bytesRead ? bytesRead : newline;
        if (!tooLong) {
          length += to - from;
          if (length > maxBytes) {
            tooLong = true;
            parts = [];
          } else {
            parts.push(chunk.slice(from, to));
          }
        }
        if (to === bytesRead) break;
        yield tooLong
          ? { number, problem: `Cannot read line: longer than ${maxBytes} bytes` }
          : decode(parts, length, number);
        number += 1;
        parts = [];
        length = 0;
        tooLong = false;
        from = to + 1;
      }
    }
    if (tooLong) yield { number, problem: `Cannot read line: longer than ${maxBytes} bytes` };
    else if (length > 0) yield decode(parts, length, number);
  } finally {
    await handle.close();
  }
}
