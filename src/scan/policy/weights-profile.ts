/**
 * The default allowlist: what loading weights, optimizer state and ordinary training checkpoints
 * needs, and nothing that can run code, touch files or change state. Built from the globals that
 * `torch.load(weights_only=True)` accepts (`torch/_weights_only_unpickler.py`), numpy's array and
 * RNG-state reconstruction, and plain standard-library value types.
 */

const TORCH_REBUILD = [
  "_rebuild_parameter",
  "_rebuild_parameter_with_state",
  "_rebuild_tensor",
  "_rebuild_tensor_v2",
  "_rebuild_tensor_v3",
  "_rebuild_sparse_tensor",
  "_rebuild_sparse_csr",
  "_rebuild_meta_tensor_no_storage",
  "_rebuild_nested_tensor",
  "_rebuild_wrapper_subclass",
  "_rebuild_device_tensor_from_cpu_tensor",
  "_rebuild_device_tensor_from_numpy",
  "_rebuild_qtensor",
  "_rebuild_xla_tensor",
].map((name) => `torch._utils.${name}`);

/** Storage classes; their element sizes also check storage members against tensors. */
export const STORAGE_ELEMENT_SIZES: Readonly<Record<string, number>> = {
  DoubleStorage: 8,
  FloatStorage: 4,
  HalfStorage: 2,
  BFloat16Storage: 2,
  LongStorage: 8,
  IntStorage: 4,
  ShortStorage: 2,
  CharStorage: 1,
  ByteStorage: 1,
  BoolStorage: 1,
  ComplexDoubleStorage: 16,
  ComplexFloatStorage: 8,
  QInt8Storage: 1,
  QUInt8Storage: 1,
  QInt32Storage: 4,
  QUInt4x2Storage: 1,
  QUInt2x4Storage: 1,
  UntypedStorage: 1,
};

const TORCH_DTYPES = [
  "float64",
  "float32",
  "float16",
  "bfloat16",
  "int64",
  "int32",
  "int16",
  "int8",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "bool",
  "complex32",
  "complex64",
  "complex128",
  "qint8",
  "quint8",
  "qint32",
  "quint4x2",
  "quint2x4",
  "float8_e4m3fn",
  "float8_e5m2",
  "float8_e4m3fnuz",
  "float8_e5m2fnuz",
  "double",
  "float",
  "half",
  "long",
  "int",
  "short",
  "cfloat",
  "cdouble",
].map((name) => `torch.${name}`);

const TORCH_OTHER = [
  "torch.Size",
  "torch.Tensor",
  "torch.device",
  "torch.dtype",
  "torch.nn.parameter.Parameter",
  "torch.serialization._get_layout",
  "torch._tensor._rebuild_from_type_v2",
  "torch.storage.UntypedStorage",
  "torch.storage.TypedStorage",
  "torch.storage._TypedStorage",
  "torch.strided",
  "torch.sparse_coo",
  "torch.sparse_csr",
  "torch.sparse_csc",
  "torch.sparse_bsr",
  "torch.sparse_bsc",
  "torch._mkldnn",
  "torch.per_tensor_affine",
  "torch.per_channel_affine",
  "torch.per_tensor_symmetric",
  "torch.per_channel_symmetric",
  "torch.per_channel_affine_float_qparams",
  "torch.contiguous_format",
  "torch.channels_last",
  "torch.channels_last_3d",
  "torch.preserve_format",
  ...Object.keys(STORAGE_ELEMENT_SIZES).map((name) => `torch.${name}`),
];

/** Legacy tensor classes (the tar format records them) and TorchScript's list builders. */
const TORCH_TYPES = [
  "torch.FloatTensor",
  "torch.DoubleTensor",
  "torch.HalfTensor",
  "torch.BFloat16Tensor",
  "torch.LongTensor",
  "torch.IntTensor",
  "torch.ShortTensor",
  "torch.CharTensor",
  "torch.ByteTensor",
  "torch.BoolTensor",
  "torch.jit._pickle.build_intlist",
  "torch.jit._pickle.build_tensorlist",
  "torch.jit._pickle.build_doublelist",
  "torch.jit._pickle.build_boollist",
  "torch.jit._pickle.build_complexlist",
  "torch.jit._pickle.build_tensor_from_id",
  "torch.jit._pickle.restore_type_tag",
];

/** Plain dataclasses of torch.distributed.checkpoint's `.metadata` file. */
const TORCH_DCP = [
  "torch.distributed.checkpoint.metadata.Metadata",
  "torch.distributed.checkpoint.metadata.TensorStorageMetadata",
  "torch.distributed.checkpoint.metadata.BytesStorageMetadata",
  "torch.distributed.checkpoint.metadata.TensorProperties",
  "torch.distributed.checkpoint.metadata.ChunkStorageMetadata",
  "torch.distributed.checkpoint.metadata.MetadataIndex",
  "torch.distributed.checkpoint.metadata.StorageMeta",
  "torch.distributed.checkpoint.metadata._MEM_FORMAT_ENCODING",
  "torch.distributed.checkpoint.filesystem._StorageInfo",
  "torch.distributed._shard.sharded_tensor.metadata.TensorProperties",
  "torch.distributed._shard.sharded_tensor.metadata.MEM_FORMAT_ENCODING",
  "torch.distributed._shard.metadata.ShardMetadata",
];

const NUMPY = [
  "numpy.core.multiarray._reconstruct",
  "numpy.core.multiarray.scalar",
  "numpy._core.multiarray._reconstruct",
  "numpy._core.multiarray.scalar",
  "numpy.ndarray",
  "numpy.dtype",
  "numpy.core.numeric._frombuffer",
  "numpy._core.numeric._frombuffer",
  // RNG state objects in training checkpoints (`numpy/random/_pickle.py`): constructors only.
  "numpy.random._pickle.__randomstate_ctor",
  "numpy.random._pickle.__bit_generator_ctor",
  "numpy.random._pickle.__generator_ctor",
  "numpy.random.mtrand.RandomState",
  "numpy.random._mt19937.MT19937",
  "numpy.random._pcg64.PCG64",
  "numpy.random._generator.Generator",
  // joblib's wrapper for inline arrays: it only carries shape, dtype and order.
  "joblib.numpy_pickle.NumpyArrayWrapper",
];

const STDLIB = [
  "collections.OrderedDict",
  "collections.Counter",
  "collections.defaultdict",
  "collections.deque",
  "_codecs.encode",
  "codecs.encode",
  "builtins.bytearray",
  "builtins.bytes",
  "builtins.set",
  "builtins.frozenset",
  "builtins.complex",
  "builtins.list",
  "builtins.dict",
  "builtins.tuple",
  "builtins.int",
  "builtins.float",
  "builtins.bool",
  "builtins.str",
  "builtins.slice",
  "builtins.range",
  "builtins.object",
  "builtins.NoneType",
  "builtins.Ellipsis",
  "copyreg._reconstructor",
  "copyreg.__newobj__",
  "datetime.datetime",
  "datetime.date",
  "datetime.time",
  "datetime.timedelta",
  "datetime.timezone",
  "decimal.Decimal",
  "fractions.Fraction",
  "uuid.UUID",
  "argparse.Namespace",
  "types.SimpleNamespace",
  "pathlib.PosixPath",
  "pathlib.PurePosixPath",
  "pathlib.WindowsPath",
  "pathlib.PureWindowsPath",
  "pathlib.Path",
];

/**
 * Classes of PyTorch's own layers (`torch.nn.modules.linear.Linear`): a whole `nn.Module` saved
 * with torch.save rebuilds them through `Module.__setstate__`, which only restores dicts. Classes
 * only (CamelCase): functions in those modules, such as global hook registration, stay out.
 */
export const TORCH_MODULE_CLASS = /^torch\.nn\.modules\.[a-z_][a-z0-9_.]*\.[A-Z][A-Za-z0-9]*$/;

export const WEIGHTS_PROFILE: ReadonlySet<string> = new Set([
  ...TORCH_REBUILD,
  ...TORCH_DTYPES,
  ...TORCH_OTHER,
  ...TORCH_TYPES,
  ...TORCH_DCP,
  ...NUMPY,
  ...STDLIB,
]);
