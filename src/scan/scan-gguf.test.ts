import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildGguf,
  CHATML_TEMPLATE,
  LLAMA3_TEMPLATE,
  SSTI_TEMPLATE,
} from "../formats/gguf/test-support/gguf-writer.js";
import { templateGadgets } from "./gguf-template-check.js";
import { isGguf, scanGguf } from "./scan-gguf.js";
import { runScanner } from "./test-support/model-format-context.js";

const withTemplate = (template: string, key = "tokenizer.chat_template") =>
  buildGguf({
    kv: [
      ["general.architecture", { type: "string", value: "llama" }],
      [key, { type: "string", value: template }],
    ],
    tensors: [{ name: "w", dims: [8n], type: 0, offset: 0n }],
    dataBytes: 32,
  });

describe("scanGguf()", () => {
  it("calls files with Llama-3 and ChatML templates clean", async () => {
    for (const template of [LLAMA3_TEMPLATE, CHATML_TEMPLATE]) {
      const result = await runScanner(scanGguf, withTemplate(template));
      assert.equal(result.format, "gguf-v3");
      assert.deepEqual(result.findings, []);
      assert.equal(result.verdict, "clean");
    }
  });

  it("reports a sandbox-escaping chat template as gguf/template-injection", async () => {
    const result = await runScanner(scanGguf, withTemplate(SSTI_TEMPLATE));
    assert.deepEqual(result.rules, ["gguf/template-injection"]);
    assert.equal(result.verdict, "dangerous");
    const named = await runScanner(
      scanGguf,
      withTemplate("{{ lipsum.__globals__ }}", "tokenizer.chat_template.tool_use"),
    );
    assert.deepEqual(named.rules, ["gguf/template-injection"]);
  });

  it("reports unreadable headers as gguf/malformed", async () => {
    for (const bytes of [
      buildGguf({ version: 1 }),
      buildGguf({ kvCount: 3n }),
      buildGguf({ tensorCount: 1n << 40n }),
      withTemplate(LLAMA3_TEMPLATE).subarray(0, 60),
    ]) {
      const result = await runScanner(scanGguf, bytes);
      assert.deepEqual(result.rules, ["gguf/malformed"]);
      assert.equal(result.verdict, "unscannable");
    }
  });

  it("recognises GGUF by its magic", () => {
    const bytes = withTemplate(LLAMA3_TEMPLATE);
    assert.equal(isGguf(bytes, bytes.length), true);
    assert.equal(isGguf(new TextEncoder().encode("GGML and more text"), 18), false);
  });
});

describe("templateGadgets()", () => {
  it("finds each gadget in template code", () => {
    for (const code of [
      "{{ self._TemplateReference__context }}",
      "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
      "{{ joiner.__init__ }}",
      "{% set x = namespace.__init__ %}",
      "{{ ()|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
      "{{ request.application.__globals__.__builtins__.__import__('os') }}",
      "{% for c in [].__class__.__mro__[1].__subclasses__() %}{% endfor %}",
      "{{ x.popen('id') }}",
      "{{ os.system('id') }}",
      "{{ eval('1') }}",
      "{% import 'x' as y %}",
    ]) {
      assert.notDeepEqual(templateGadgets(code), [], code);
    }
  });

  it("splits many unclosed blocks in linear time", () => {
    const started = Date.now();
    assert.deepEqual(templateGadgets("{{ '".repeat(200_000)), []);
    assert.deepEqual(templateGadgets("{{".repeat(500_000)), []);
    assert.ok(Date.now() - started < 2000);
  });

  it("reads string literals that hold a closing delimiter", () => {
    assert.notDeepEqual(templateGadgets("{{ '}}' ~ x.__class__ }}"), []);
  });

  it("ignores words in literal text and string literals", () => {
    assert.deepEqual(templateGadgets("import os; os.system('x') {{ 'eval(x) import popen' }}"), []);
  });
});
