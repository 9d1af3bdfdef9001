/**
 * One sentence per rule, for SARIF `shortDescription` (GitHub shows it next to each alert). The
 * long form, with references, is `docs/rules.md`; keep the two in step.
 */
import type { RuleId } from "../rules.js";

export const RULE_DESCRIPTIONS: Readonly<Record<RuleId, string>> = {
  "pickle/dangerous-global":
    "A pickle imports a callable known to run code, spawn processes or touch files or the network",
  "pickle/computed-global":
    "A pickle imports a global whose module or name is computed at load time",
  "pickle/non-literal-callable": "A pickle calls something that is not a plainly imported global",
  "pickle/unknown-global":
    "A pickle imports a global that is neither allowlisted nor known to be dangerous",
  "pickle/training-state":
    "A pickle reaches into training state: seeds, RNG, optimizer, hooks or weights in place",
  "pickle/build-on-global":
    "A pickle sets attributes on an imported module or function (BUILD on a global)",
  "pickle/extension-opcode": "A pickle uses the copyreg extension registry (EXT1, EXT2, EXT4)",
  "pickle/nested-loader":
    "A pickle calls another deserializer (pickle.loads, torch.load, numpy.load, ...)",
  "pickle/frame-violation":
    "A pickle opcode straddles a FRAME boundary, so parsers can disagree on what runs",
  "pickle/memo-overwrite": "A pickle overwrites or reads a memo slot out of the usual order",
  "pickle/discarded-call":
    "A pickle makes a call whose result is thrown away (run for its side effect)",
  "pickle/out-of-band-buffer":
    "A pickle expects out-of-band buffers (protocol 5 NEXT_BUFFER or READONLY_BUFFER)",
  "pickle/weights-only-incompatible": "torch.load(weights_only=True) would refuse this pickle",
  "pickle/unreadable":
    "A pickle stream is truncated or malformed and could not be analysed completely",
  "pickle/trailing-data": "Bytes follow the last STOP opcode of a pickle",
  "zip/duplicate-name": "Two zip entries have the same name, so readers may pick different ones",
  "zip/local-name-mismatch":
    "A zip entry's local header names a different file than the central directory",
  "zip/local-header-mismatch":
    "A zip entry's local header disagrees with the central directory on sizes or method",
  "zip/crc-mismatch": "A zip entry's data does not match its CRC-32",
  "zip/flag-bits":
    "A zip entry sets flag bits (encryption, patch data, strong encryption) that readers treat differently",
  "zip/unknown-compression": "A zip entry uses a compression method trainguard cannot decompress",
  "zip/data-outside-members": "A zip archive holds bytes that belong to no entry",
  "zip/overlapping-members": "Two zip entries share bytes of the archive",
  "zip/unreadable": "A zip archive is truncated or malformed and could not be analysed completely",
  "torch/missing-storage":
    "A PyTorch checkpoint refers to a tensor storage that is not in the archive",
  "torch/storage-size-mismatch":
    "A PyTorch storage is smaller or larger than the tensors that use it",
  "torch/torchscript-code":
    "The archive is a TorchScript model: it contains code that torch.jit.load runs",
  "torch/legacy-layout": "A legacy PyTorch file does not have the layout torch.load expects",
  "numpy/object-array": "A NumPy array has an object dtype, so loading it needs allow_pickle=True",
  "numpy/size-mismatch": "A NumPy array's data is shorter or longer than its header declares",
  "format/polyglot":
    "The file is valid as more than one format, so tools may disagree on what it is",
  "format/unknown": "The file's format is not recognised, so it was not checked",
  "format/model-data": "The file is tensor data that a model in the same scan names",
  "format/unsupported-compression":
    "The file is compressed with a method trainguard cannot decompress",
  "format/decompression-limit":
    "Decompressing the file would exceed the size or ratio limit (possible bomb)",
  "scan/limit-exceeded": "A scan limit was reached before the file was fully checked",
  "scan/unscannable": "The file could not be checked completely",
  "scan/symlink-skipped": "A symbolic link was not followed, so its target was not checked",
  "scan/not-regular-file": "A path is a device, FIFO or socket, so it was not read",
  "safetensors/malformed":
    "The safetensors header breaks a rule of the reference implementation (size, JSON, dtype, shape against offsets, gaps, overlaps, file size)",
  "gguf/malformed":
    "A GGUF header or metadata section is truncated, over a bound, or not well-formed",
  "gguf/template-injection": "A GGUF chat template uses Jinja sandbox-escape patterns",
  "onnx/external-data-path":
    "An ONNX tensor's external data location leaves the model folder (.., absolute path, symbolic link)",
  "onnx/custom-domain": "An ONNX node uses an operator domain outside the standard ONNX domains",
  "onnx/malformed": "An ONNX protobuf cannot be read to its end",
  "keras/lambda": "A Keras model contains a Lambda layer (serialized Python bytecode)",
  "keras/unsafe-module":
    "A Keras layer or object names a module or class outside the Keras allowlist",
  "keras/safe-mode-off": "A Keras config turns off safe mode or enables unsafe deserialization",
  "keras/malformed": "A Keras .h5 or .keras file or its config cannot be read completely",
  "tf/file-op":
    "A TensorFlow graph uses file or process operations (ReadFile, WriteFile, MatchingFiles, PyFunc ...)",
  "tf/custom-op": "A TensorFlow graph uses an operation that is not a standard TensorFlow op",
  "tf/malformed": "A SavedModel protobuf cannot be read to its end",
  "hf/remote-code":
    "A Hugging Face model folder requires remote code (auto_map), or this Python file is that code",
};
