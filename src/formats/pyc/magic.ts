import { FormatError } from "../format-error.js";

/** A CPython feature release, the unit that marshal code layouts and magic numbers follow. */
export interface PythonVersion {
  readonly major: number;
  readonly minor: number;
}

/**
 * The magic number of each release's final `.pyc` format: two bytes little-endian followed by
 * `\r\n` (CPython `Include/internal/pycore_magic_number.h`, "Known values"). Pre-release magic
 * numbers are left out on purpose: their code layouts differ from the release and no supported
 * interpreter writes them.
 */
const RELEASE_MAGIC: ReadonlyMap<number, PythonVersion> = new Map([
  [3394, { major: 3, minor: 7 }], // 3.7b5
  [3413, { major: 3, minor: 8 }], // 3.8b4
  [3425, { major: 3, minor: 9 }], // 3.9a2
  [3439, { major: 3, minor: 10 }], // 3.10b1
  [3495, { major: 3, minor: 11 }], // 3.11b4
  [3531, { major: 3, minor: 12 }], // 3.12b1
  [3571, { major: 3, minor: 13 }], // 3.13b1
  [3627, { major: 3, minor: 14 }], // 3.14rc3
]);

const CR = 0x0d;
const LF = 0x0a;
export const MAGIC_BYTES = 4;

/** The version whose release writes `magic`; throws UNSUPPORTED for any other magic number. */
export function versionForMagic(magic: Uint8Array): PythonVersion {
  if (magic.length < MAGIC_BYTES) {
    throw new FormatError("TRUNCATED", `Cannot read pyc magic: input has ${magic.length} bytes`);
  }
  const number = magic[0]! | (magic[1]! << 8);
  if (magic[2] !== CR || magic[3] !== LF) {
    throw new FormatError(
      "MALFORMED",
      `Cannot read pyc magic: "${number}" is not followed by CRLF`,
      2,
    );
  }
  const version = RELEASE_MAGIC.get(number);
  if (version === undefined) {
    throw new FormatError(
      "UNSUPPORTED",
      `Cannot read pyc magic: "${number}" is not a known release`,
      0,
    );
  }
  return version;
}

/** The four magic bytes a release writes, for building keys and test inputs. */
export function magicForVersion(version: PythonVersion): Uint8Array {
  for (const [number, known] of RELEASE_MAGIC) {
    if (known.major === version.major && known.minor === version.minor) {
      return Uint8Array.of(number & 0xff, number >> 8, CR, LF);
    }
  }
  throw new FormatError(
    "UNSUPPORTED",
    `Cannot find pyc magic: version "${version.major}.${version.minor}" is not supported`,
  );
}

/** Every supported release, oldest first. */
export function supportedVersions(): readonly PythonVersion[] {
  return [...RELEASE_MAGIC.values()];
}

/** True when `version` is at least `major.minor`. */
export function atLeast(version: PythonVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
