import { readFileSync } from "node:fs";

/** The note half of `fixtures/tlog/vectors.json` (made with Go's sumdb/note; see its README). */
export interface GoNoteVectors {
  readonly roots: readonly string[];
  readonly signer_key: string;
  readonly verifier_key: string;
  readonly checkpoints: readonly { note: string; size: string }[];
}

export const VECTORS_ORIGIN = "example.test/trainguard-vectors";

export function loadGoNoteVectors(): GoNoteVectors {
  const url = new URL("../../../../fixtures/tlog/vectors.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as GoNoteVectors;
}

/** The example of golang.org/x/mod/sumdb/note's package documentation. */
export const PETER = {
  signerKey: "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
  verifierKey: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
  text:
    "If you think cryptography is the answer to your problem,\n" +
    "then you don't know what your problem is.\n",
  note:
    "If you think cryptography is the answer to your problem,\n" +
    "then you don't know what your problem is.\n" +
    "\n" +
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
};

/** Published verifier keys: signed-note's example, Go's tests, transparency-dev/formats' tests. */
export const PUBLISHED_VERIFIER_KEYS = [
  "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
  "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
  "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop",
  // Its base64 contains a "+", so a key string cannot be split on every "+".
  "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6",
];

/**
 * A real checkpoint of the arche2025h1 staging CT log, signed by the log (an RFC 6962 type 0x05
 * signature and an Ed25519 one) and cosigned by four witnesses of the public witness network
 * with tlog-cosignature/v1 (type 0x04); quoted in public test suites of checkpoint verifiers.
 */
export const WITNESSED = {
  origin: "arche2025h1.staging.ct.transparency.dev",
  logKey:
    "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f",
  witnessKey: "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2",
  witnessTime: 1779573024,
  note: [
    "arche2025h1.staging.ct.transparency.dev",
    "1432088532",
    "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=",
    "",
    "— arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=",
    "— arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=",
    "— transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==",
    "— witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==",
    "— remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==",
    "— witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==",
    "",
  ].join("\n"),
};
