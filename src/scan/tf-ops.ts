/**
 * TensorFlow op names for the SavedModel scan. Any op can be registered by a shared library
 * loaded into the process (`tf.load_op_library`), and a graph naming an op outside the standard
 * registry needs that library: so ops outside the list below are `tf/custom-op`. The list holds
 * the standard ops that models written with tf.keras, tf.function and TF 1 graphs commonly
 * contain (gathered from TensorFlow's raw-ops registry, tensorflow/core/ops/*.cc); a rarer
 * standard op is reported as custom (suspicious), never passed silently: extend the list then.
 */

/** Ops that read, write or list files, or call back into Python (`tf/file-op`). */
export const TF_FILE_OPS: ReadonlySet<string> = new Set([
  "ReadFile",
  "WriteFile",
  "MatchingFiles",
  "PyFunc",
  "PyFuncStateless",
  "EagerPyFunc",
  "ImmutableConst",
  "Save",
  "SaveV2",
  "SaveSlices",
  "Restore",
  "RestoreV2",
  "RestoreSlice",
  "MergeV2Checkpoints",
  "WholeFileReader",
  "WholeFileReaderV2",
  "TextLineReader",
  "TextLineReaderV2",
  "FixedLengthRecordReader",
  "FixedLengthRecordReaderV2",
  "TFRecordReader",
  "TFRecordReaderV2",
  "LMDBReader",
  "TextLineDataset",
  "TFRecordDataset",
  "TFRecordDatasetV2",
  "FixedLengthRecordDataset",
  "FixedLengthRecordDatasetV2",
  "DatasetToTFRecord",
  "SaveDataset",
  "SaveDatasetV2",
  "LoadDataset",
  "CreateSummaryFileWriter",
]);

/** Checkpoint ops every SavedModel's saver uses: expected only where the saver runs them. */
export const TF_SAVE_OPS: ReadonlySet<string> = new Set([
  "Save",
  "SaveV2",
  "SaveSlices",
  "MergeV2Checkpoints",
]);
export const TF_RESTORE_OPS: ReadonlySet<string> = new Set([
  "Restore",
  "RestoreV2",
  "RestoreSlice",
]);

const STANDARD = `
Abs Acos Acosh Add AddN AddV2 All Angle Any ApproximateEqual ArgMax ArgMin AsString Asin Asinh
Assert Assign AssignAdd AssignAddVariableOp AssignSub AssignSubVariableOp AssignVariableOp Atan
Atan2 Atanh AvgPool AvgPool3D AvgPool3DGrad AvgPoolGrad BatchMatMul BatchMatMulV2 BatchMatMulV3
BatchNormWithGlobalNormalization BatchToSpace BatchToSpaceND BiasAdd BiasAddGrad BiasAddV1
Bincount Bitcast BitwiseAnd BitwiseOr BitwiseXor BroadcastArgs BroadcastGradientArgs BroadcastTo
Bucketize Case Cast Ceil CheckNumerics CheckNumericsV2 Cholesky ClipByValue ComplexAbs Complex
Concat ConcatOffset ConcatV2 Const ConsumeMutexLock ControlTrigger Conv Conv2D
Conv2DBackpropFilter Conv2DBackpropInput Conv3D Conv3DBackpropFilterV2 Conv3DBackpropInputV2
Conj ConjugateTranspose Cos Cosh CropAndResize Cross Cumprod Cumsum CumulativeLogsumexp
DecodeBase64 DecodeBmp DecodeCSV DecodeGif DecodeImage DecodeJpeg DecodePng DecodeRaw
DecodeJSONExample DepthToSpace DepthwiseConv2dNative DepthwiseConv2dNativeBackpropFilter
DepthwiseConv2dNativeBackpropInput Dequantize DestroyResourceOp DeviceIndex Diag DiagPart Digamma
Dilation2D DisableCopyOnRead Div DivNoNan DrawBoundingBoxes DynamicPartition DynamicStitch
EditDistance Einsum Elu EluGrad Empty EmptyTensorList EncodeBase64 EncodeJpeg EncodePng
EnsureShape Enter Equal Erf Erfc Erfinv EuclideanNorm Exit Exp ExpandDims ExpandDimsV2 Expm1
ExtractImagePatches ExtractVolumePatches FakeParam FakeQuantWithMinMaxArgs
FakeQuantWithMinMaxVars FakeQuantWithMinMaxVarsPerChannel FFT FFT2D FFT3D Fill Fingerprint Floor
FloorDiv FloorMod FusedBatchNorm FusedBatchNormGrad FusedBatchNormGradV2 FusedBatchNormGradV3
FusedBatchNormV2 FusedBatchNormV3 FusedPadConv2D FusedResizeAndPadConv2D Gather GatherNd GatherV2
GetSessionHandle GetSessionHandleV2 Greater GreaterEqual GuaranteeConst HashTable HashTableV2
HistogramFixedWidth HistogramSummary HSVToRGB Identity IdentityN If IFFT IFFT2D IFFT3D Igamma
Igammac Imag ImageSummary InTopK InTopKV2 InitializeTable InitializeTableFromTensorDataset
InitializeTableFromTextFile InitializeTableFromTextFileV2 InitializeTableV2 InvertPermutation Inv
Invert IRFFT IRFFT2D IRFFT3D IsFinite IsInf IsNan IsVariableInitialized IteratorGetNext
IteratorGetNextSync IteratorV2 L2Loss LeakyRelu LeakyReluGrad LeftShift Less LessEqual Lgamma
LinSpace ListDiff LoadAndRemapMatrix Log Log1p LogicalAnd LogicalNot LogicalOr LogMatrixDeterminant
LogSoftmax LookupTableExport LookupTableExportV2 LookupTableFind LookupTableFindV2
LookupTableImport LookupTableImportV2 LookupTableInsert LookupTableInsertV2 LookupTableRemoveV2
LookupTableSize LookupTableSizeV2 LoopCond LowerBound LRN LRNGrad MakeIterator MatMul
MatrixBandPart MatrixDeterminant MatrixDiag MatrixDiagPart MatrixDiagPartV2 MatrixDiagPartV3
MatrixDiagV2 MatrixDiagV3 MatrixInverse MatrixSetDiag MatrixSetDiagV2 MatrixSetDiagV3
MatrixSolve MatrixSolveLs MatrixSquareRoot MatrixTriangularSolve Max Maximum MaxPool MaxPool3D
MaxPool3DGrad MaxPoolGrad MaxPoolGradV2 MaxPoolV2 MaxPoolWithArgmax Mean Merge MergeSummary Min
Minimum MirrorPad MirrorPadGrad Mod Mul MulNoNan Multinomial MutableDenseHashTable
MutableDenseHashTableV2 MutableHashTable MutableHashTableOfTensors MutableHashTableOfTensorsV2
MutableHashTableV2 MutexLock MutexV2 Ndtri Neg NextAfter NextIteration NoOp NonMaxSuppression
NonMaxSuppressionV2 NonMaxSuppressionV3 NonMaxSuppressionV4 NonMaxSuppressionV5 NotEqual
OneHot OnesLike OptionalFromValue OptionalGetValue OptionalHasValue OptionalNone OptimizeDataset
Pack Pad PadV2 ParallelConcat ParallelDynamicStitch ParseExample ParseExampleV2
ParseSequenceExample ParseSequenceExampleV2 ParseSingleExample ParseSingleSequenceExample
ParseTensor PartitionedCall Placeholder PlaceholderV2 PlaceholderWithDefault Polygamma
PopulationCount Pow PreventGradient Print PrintV2 Prod Qr QuantizeAndDequantize
QuantizeAndDequantizeV2 QuantizeAndDequantizeV3 QuantizeAndDequantizeV4 QuantizeV2
QuantizedConv2D QuantizedMatMul QuantizedRelu RaggedGather RaggedRange RaggedTensorFromVariant
RaggedTensorToSparse RaggedTensorToTensor RaggedTensorToVariant RandomCrop RandomGamma
RandomPoisson RandomPoissonV2 RandomShuffle RandomStandardNormal RandomUniform RandomUniformInt
Range Rank ReadVariableOp Real RealDiv Reciprocal ReciprocalGrad ReduceJoin RefEnter RefExit
RefIdentity RefMerge RefNextIteration RefSwitch RegexFullMatch RegexReplace Relu Relu6
Relu6Grad ReluGrad RemoteCall Reshape ResizeArea ResizeBicubic ResizeBilinear
ResizeBilinearGrad ResizeNearestNeighbor ResizeNearestNeighborGrad ResourceGather
ResourceGatherNd ResourceScatterAdd ResourceScatterNdAdd ResourceScatterNdUpdate
ResourceScatterUpdate ResourceStridedSliceAssign ResourceApplyAdam ResourceApplyAdagrad
ResourceApplyGradientDescent ResourceApplyMomentum ResourceApplyRMSProp
ResourceApplyKerasMomentum ResourceSparseApplyAdagrad ReverseSequence ReverseV2 RFFT RFFT2D
RFFT3D RGBToHSV RightShift Rint Round Rsqrt RsqrtGrad SampleDistortedBoundingBox
SampleDistortedBoundingBoxV2 ScalarSummary ScatterAdd ScatterNd ScatterNdAdd ScatterNdUpdate
ScatterSub ScatterUpdate SegmentMax SegmentMean SegmentMin SegmentProd SegmentSum Select
SelectV2 Selu SeluGrad SerializeTensor Shape ShapeN ShardedFilename ShardedFilespec Sigmoid
SigmoidGrad Sign Sin Sinh Size Slice Snapshot Softmax SoftmaxCrossEntropyWithLogits Softplus
SoftplusGrad Softsign SoftsignGrad SpaceToBatch SpaceToBatchND SpaceToDepth SparseAdd
SparseConcat SparseFillEmptyRows SparseMatMul SparseReorder SparseReshape SparseSegmentMean
SparseSegmentSqrtN SparseSegmentSum SparseSlice SparseSoftmax
SparseSoftmaxCrossEntropyWithLogits SparseTensorDenseMatMul SparseToDense Split SplitV Sqrt
SqrtGrad Square SquaredDifference Squeeze Stack StackPopV2 StackPushV2 StackV2 StatefulPartitionedCall
StatelessIf StatelessCase StatelessMultinomial StatelessRandomNormal StatelessRandomNormalV2
StatelessRandomUniform StatelessRandomUniformV2 StatelessRandomUniformInt
StatelessRandomUniformIntV2 StatelessRandomGetKeyCounter StatelessRandomGetKeyCounterAlg
StatelessRandomGetAlg StatelessTruncatedNormal StatelessTruncatedNormalV2 StatelessWhile
StatefulStandardNormalV2 StatefulUniform StatefulUniformInt StaticRegexFullMatch
StaticRegexReplace StopGradient StridedSlice StridedSliceAssign StridedSliceGrad StringFormat
StringJoin StringLength StringLower StringSplit StringSplitV2 StringStrip StringToHashBucket
StringToHashBucketFast StringToHashBucketStrong StringToNumber StringUpper Sub Substr Sum Svd
Switch SymbolicGradient Tan Tanh TanhGrad TemporaryVariable TensorArrayCloseV3
TensorArrayConcatV3 TensorArrayGatherV3 TensorArrayGradV3 TensorArrayReadV3
TensorArrayScatterV3 TensorArraySizeV3 TensorArraySplitV3 TensorArrayV3 TensorArrayWriteV3
TensorListConcatV2 TensorListElementShape TensorListFromTensor TensorListGather
TensorListGetItem TensorListLength TensorListPopBack TensorListPushBack TensorListReserve
TensorListResize TensorListScatterIntoExistingList TensorListScatterV2 TensorListSetItem
TensorListSplit TensorListStack TensorScatterAdd TensorScatterMax TensorScatterMin
TensorScatterSub TensorScatterUpdate TensorSummary TensorSummaryV2 Tile TileGrad Timestamp
TopK TopKV2 Transpose TridiagonalSolve TruncateDiv TruncateMod TruncatedNormal Unbatch
UnicodeDecode UnicodeDecodeWithOffsets UnicodeEncode UnicodeScript UnicodeTranscode Unique
UniqueV2 UniqueWithCounts UnravelIndex UnsortedSegmentMax UnsortedSegmentMin
UnsortedSegmentProd UnsortedSegmentSum Unpack UpperBound VarHandleOp VarIsInitializedOp
Variable VariableShape VariableV2 Where While Xdivy Xlog1py Xlogy ZerosLike Zeta
_Arg _Retval _DeviceArg _DeviceRetval _If _While _Send _Recv _HostSend _HostRecv _FusedConv2D
_FusedMatMul _FusedBatchNormEx _MklMatMul _ReadVariablesOp _VarHandlesOp
AnonymousIteratorV2 AnonymousIteratorV3 BatchDatasetV2 CacheDataset DatasetCardinality
FilterDataset FlatMapDataset InterleaveDataset MapDataset ParallelMapDatasetV2
ParallelInterleaveDatasetV4 PrefetchDataset RangeDataset RepeatDataset ShuffleDatasetV3
SkipDataset TakeDataset TensorDataset TensorSliceDataset ZipDataset ModelDataset
DeleteIterator DeleteMultiDeviceIterator IteratorToStringHandle IteratorFromStringHandleV2
BoostedTreesEnsembleResourceHandleOp CollectiveReduceV2 CollectiveGatherV2 CollectiveBcastSendV2
CollectiveBcastRecvV2 NcclAllReduce XlaConvV2 XlaDotV2 XlaGather XlaReduce XlaSharding
XlaCallModule XlaLaunch
`;

export const TF_STANDARD_OPS: ReadonlySet<string> = new Set([
  ...STANDARD.split(/\s+/).filter((name) => name !== ""),
  ...TF_FILE_OPS,
]);
