/**
 * Record signatures, fixed record sizes and flag bits from PKWARE's APPNOTE.TXT (6.3.10). Section
 * numbers are cited beside each constant so a reader can check the layout against the spec.
 */

/** 4.3.7 local file header: signature plus 26 bytes of fixed fields, then name and extra. */
export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const LOCAL_HEADER_SIZE = 30;

/** 4.3.9 data descriptor; the signature is optional ("commonly adopted", 4.3.9.3). */
export const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;

/** 4.3.12 central directory file header: signature plus 42 bytes of fixed fields. */
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const CENTRAL_HEADER_SIZE = 46;

/** 4.3.14 zip64 end of central directory record (version 1, without extensible data). */
export const ZIP64_END_SIGNATURE = 0x06064b50;
export const ZIP64_END_SIZE = 56;
/** 4.3.14.1: the record's size field counts the bytes after the first 12. */
export const ZIP64_END_SIZE_FIELD_BIAS = 12;

/** 4.3.15 zip64 end of central directory locator. */
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
export const ZIP64_LOCATOR_SIZE = 20;

/** 4.3.16 end of central directory record, followed by a comment of up to 0xffff bytes. */
export const END_SIGNATURE = 0x06054b50;
export const END_SIZE = 22;
export const MAX_COMMENT_LENGTH = 0xffff;
/** Every reader (miniz, Python's zipfile, Info-ZIP) searches only this far back for the record. */
export const END_SEARCH_WINDOW = END_SIZE + MAX_COMMENT_LENGTH;

/** 4.5.3 zip64 extended information extra field. */
export const ZIP64_EXTRA_ID = 0x0001;
/** 4.4.8, 4.4.9, 4.4.16: a 32-bit field saturated to this value is stored in the zip64 extra. */
export const ZIP64_U32_SENTINEL = 0xffffffff;
/** 4.4.13, 4.4.21: a 16-bit count or disk number saturated to this value. */
export const ZIP64_U16_SENTINEL = 0xffff;

/** 4.4.5 compression methods every reader we mirror supports. */
export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

/** 4.4.4 general purpose bit flags. */
export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_PATCHED_DATA = 0x0020;
export const FLAG_STRONG_ENCRYPTION = 0x0040;
export const FLAG_UTF8 = 0x0800;
export const FLAG_MASKED_HEADERS = 0x2000;
/**
 * Bits ordinary writers set: 1 and 2 (deflate level hints), 3 (data descriptor), 11 (UTF-8).
 * Anything else (encryption, patched data, reserved bits) is reported as an anomaly.
 */
export const USUAL_FLAGS = 0x0002 | 0x0004 | FLAG_DATA_DESCRIPTOR | FLAG_UTF8;
