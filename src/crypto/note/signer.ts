/**
 * A key that signs note text. `sign` receives the UTF-8 note text and returns the signature
 * bytes that follow the 4-byte key ID in the signature line.
 */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Uint8Array;
}

/**
 * A trusted key. `verify` receives the UTF-8 note text and the signature bytes after the key ID,
 * and returns false (never throws) when they do not verify.
 */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** The signature type byte (0x01 Ed25519, 0x04 cosignature/v1). */
  readonly type: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}
