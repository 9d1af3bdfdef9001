import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { deflateSync, gzipSync } from "node:zlib";
import { sniffCompression } from "./sniff-compression.js";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replaceAll(" ", ""), "hex"));

/** Real headers from Python's compressors, so the magic numbers are not only checked against us. */
function pythonSamples(): Record<string, string> {
  const script = `
import bz2, json, lzma
print(json.dumps({
  "bzip2": bz2.compress(b"data").hex(),
  "bzip2-empty": bz2.compress(b"").hex(),
  "xz": lzma.compress(b"data").hex(),
  "lzma": lzma.compress(b"data", format=lzma.FORMAT_ALONE).hex(),
}))`;
  return JSON.parse(execFileSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" }));
}

describe("sniffCompression", () => {
  it("recognises gzip and every zlib level", () => {
    assert.equal(sniffCompression(gzipSync("x")), "gzip");
    for (const level of [0, 1, 6, 9]) {
      assert.equal(sniffCompression(deflateSync("x", { level })), "zlib", `level ${level}`);
    }
  });

  it("recognises bzip2, xz and lzma as Python writes them", () => {
    const samples = pythonSamples();
    assert.equal(sniffCompression(hex(samples.bzip2!)), "bzip2");
    assert.equal(sniffCompression(hex(samples["bzip2-empty"]!)), "bzip2");
    assert.equal(sniffCompression(hex(samples.xz!)), "xz");
    assert.equal(sniffCompression(hex(samples.lzma!)), "lzma");
  });

  it("recognises zstd and 7z by magic", () => {
    assert.equal(sniffCompression(hex("28b52ffd 2400 1100")), "zstd");
    assert.equal(sniffCompression(hex("377abcaf271c 0004")), "7z");
  });

  it("does not claim pickles, zips or near misses", () => {
    assert.equal(sniffCompression(hex("80 02 7d 71 00 2e")), null); // protocol 2 pickle
    assert.equal(sniffCompression(hex("5d 71 00 28 4b 01 4b 02 65 2e 00 00 00")), null); // protocol 1 list
    assert.equal(sniffCompression(hex("504b0304")), null);
    assert.equal(sniffCompression(hex("78 da")), "zlib");
    assert.equal(sniffCompression(hex("78 20")), null); // valid FCHECK, never written by zlib
    assert.equal(sniffCompression(hex("1f 8b 08 e0")), null); // reserved gzip flags
    assert.equal(sniffCompression(hex("42 5a 68 39 00 00 00 00 00 00")), null); // "BZh9" then text
    assert.equal(sniffCompression(new Uint8Array()), null);
  });
});
