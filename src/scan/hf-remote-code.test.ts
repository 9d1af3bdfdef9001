import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { remoteCodeFindings } from "./hf-remote-code.js";

describe("remoteCodeFindings()", () => {
  let dir: string;
  const files: string[] = [];
  const put = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    files.push(path);
    return path;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tg-hf-"));
    await mkdir(join(dir, "remote"));
    await mkdir(join(dir, "plain"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reports the config's auto_map and each local module it names", async () => {
    const config = await put(
      "remote/config.json",
      JSON.stringify({
        model_type: "x",
        auto_map: {
          AutoConfig: "configuration_x.XConfig",
          AutoModel: "modeling_x.XModel",
          AutoModelForCausalLM: "other/repo--modeling_y.YModel",
        },
      }),
    );
    const tokenizer = await put(
      "remote/tokenizer_config.json",
      JSON.stringify({ auto_map: { AutoTokenizer: ["tokenization_x.XTokenizer", null] } }),
    );
    const modeling = await put("remote/modeling_x.py", "import os\n");
    const configuration = await put("remote/configuration_x.py", "class XConfig: pass\n");
    const tokenization = await put("remote/tokenization_x.py", "pass\n");
    const weights = await put("remote/model.safetensors", "");
    const plainConfig = await put("plain/config.json", JSON.stringify({ model_type: "llama" }));
    const notJson = await put("plain/generation_config.json", "{not json");
    const found = await remoteCodeFindings(files);
    assert.deepEqual(
      [...found.keys()].sort(),
      [config, configuration, modeling, tokenization, tokenizer].sort(),
    );
    const configFinding = found.get(config)![0]!;
    assert.equal(configFinding.rule, "hf/remote-code");
    assert.equal(configFinding.verdict, "suspicious");
    assert.match(configFinding.message, /modeling_x\.XModel/);
    assert.match(configFinding.message, /from repository 'other\/repo'/);
    assert.equal(found.get(modeling)!.length, 1);
    assert.equal(found.get(modeling)![0]!.rule, "hf/remote-code");
    assert.equal(found.get(weights), undefined);
    assert.equal(found.get(plainConfig), undefined);
    assert.equal(found.get(notJson), undefined);
  });

  it("reports custom_pipelines and values that are not module.Class", async () => {
    const sub = join(dir, "pipelines");
    await mkdir(sub);
    const path = join(sub, "config.json");
    const code = join(sub, "pipeline_x.py");
    await writeFile(
      path,
      JSON.stringify({
        custom_pipelines: { "text-x": { impl: "pipeline_x.XPipeline" } },
        auto_map: { AutoModel: "a.b.C" },
      }),
    );
    await writeFile(code, "pass\n");
    const found = await remoteCodeFindings([path, code]);
    assert.match(found.get(path)![0]!.message, /'pipeline_x\.XPipeline'/);
    assert.match(found.get(path)![0]!.message, /'a\.b\.C' \(not module\.Class\)/);
    assert.equal(found.get(code)![0]!.rule, "hf/remote-code");
  });

  it("names modules missing from the folder", async () => {
    const sub = join(dir, "missing");
    await mkdir(sub);
    const path = join(sub, "config.json");
    await writeFile(path, JSON.stringify({ auto_map: { AutoModel: "modeling_z.Z" } }));
    const found = await remoteCodeFindings([path]);
    assert.match(found.get(path)![0]!.message, /modeling_z\.Z' \(not in the folder\)/);
  });
});
