export { HDF5_REQUEST_TIMEOUT_MS } from "./h5-worker.js";
export {
  HDF5_SIGNATURE,
  isHdf5,
  type RootAttributes,
  readHdf5RootAttributes,
} from "./read-root-attributes.js";
export { withTempCopy } from "./temp-copy.js";
