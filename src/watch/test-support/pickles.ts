/** Pickles built in code for the watcher's tests. */

/** `os.system('id')`, protocol 4. */
export const EVIL = Buffer.from("80048c026f738c0673797374656d938c0269648552942e", "hex");
/** `{'a': 1}`, protocol 4. */
export const BENIGN = Buffer.from("80047d948c0161944b01732e", "hex");

/** `os.system('id ' + padding)`: a dangerous pickle of about `size` bytes, to write slowly. */
export function longEvil(size: number): Buffer {
  const command = Buffer.from(`id${" ".repeat(Math.max(0, size - 30))}`);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(command.length);
  return Buffer.concat([
    Buffer.from("80048c026f738c0673797374656d93", "hex"),
    Buffer.from([0x58]), // BINUNICODE: 4-byte little-endian length, then UTF-8
    length,
    command,
    Buffer.from("85522e", "hex"), // TUPLE1 REDUCE STOP
  ]);
}
