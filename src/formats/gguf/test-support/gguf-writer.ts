/** Builds GGUF v2/v3 files in code (ggml `docs/gguf.md`). */
export type GgufTestValue =
  | { readonly type: "u32"; readonly value: number }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "bool"; readonly value: number }
  | { readonly type: "raw"; readonly id: number; readonly bytes: Uint8Array }
  | {
      readonly type: "array";
      readonly itemType: number;
      readonly count: bigint;
      readonly bytes: Uint8Array;
    };

export interface GgufTestTensor {
  readonly name: string;
  readonly dims: readonly bigint[];
  readonly type: number;
  readonly offset: bigint;
}

export interface GgufTestFile {
  readonly version?: number;
  readonly magic?: string;
  readonly kv?: readonly (readonly [string, GgufTestValue])[];
  readonly tensors?: readonly GgufTestTensor[];
  readonly tensorCount?: bigint;
  readonly kvCount?: bigint;
  /** Bytes after the aligned data start. */
  readonly dataBytes?: number;
  readonly alignment?: number;
}

class Bytes {
  readonly parts: number[] = [];
  u8(v: number) {
    this.parts.push(v & 0xff);
  }
  u32(v: number) {
    for (let i = 0; i < 4; i += 1) this.u8(v >>> (8 * i));
  }
  u64(v: bigint) {
    for (let i = 0n; i < 8n; i += 1n) this.u8(Number((v >> (8n * i)) & 0xffn));
  }
  raw(b: Uint8Array) {
    for (const x of b) this.u8(x);
  }
  str(s: string) {
    const b = new TextEncoder().encode(s);
    this.u64(BigInt(b.length));
    this.raw(b);
  }
}

export function encodeGgufString(s: string): Uint8Array {
  const w = new Bytes();
  w.str(s);
  return Uint8Array.from(w.parts);
}

export function buildGguf(file: GgufTestFile = {}): Uint8Array {
  const w = new Bytes();
  w.raw(new TextEncoder().encode(file.magic ?? "GGUF"));
  w.u32(file.version ?? 3);
  const kv = file.kv ?? [];
  const tensors = file.tensors ?? [];
  w.u64(file.tensorCount ?? BigInt(tensors.length));
  w.u64(file.kvCount ?? BigInt(kv.length));
  for (const [key, v] of kv) {
    w.str(key);
    if (v.type === "u32") {
      w.u32(4);
      w.u32(v.value);
    } else if (v.type === "string") {
      w.u32(8);
      w.str(v.value);
    } else if (v.type === "bool") {
      w.u32(7);
      w.u8(v.value);
    } else if (v.type === "raw") {
      w.u32(v.id);
      w.raw(v.bytes);
    } else {
      w.u32(9);
      w.u32(v.itemType);
      w.u64(v.count);
      w.raw(v.bytes);
    }
  }
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(t.type);
    w.u64(t.offset);
  }
  const alignment = file.alignment ?? 32;
  while (w.parts.length % alignment !== 0) w.u8(0);
  for (let i = 0; i < (file.dataBytes ?? 0); i += 1) w.u8(0);
  return Uint8Array.from(w.parts);
}

export const LLAMA3_TEMPLATE =
  "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

export const CHATML_TEMPLATE =
  "{%- set ns = namespace(found=false) -%}{% for message in messages %}{% if message['role'] == 'system' %}{% set ns.found = true %}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if not ns.found %}{# You may import tools #}{% endif %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\nYou can import modules and eval(x) in text.\\n' }}{% endif %}";

/** The CVE-2024-34359 proof of concept shape. */
export const SSTI_TEMPLATE =
  "{% for x in ().__class__.__base__.__subclasses__() %}{% if \"warning\" in x.__name__ %}{{ x()._module.__builtins__['__import__']('os').popen('touch /tmp/pwned').read() }}{% endif %}{% endfor %}";
