// Signing for values that cross a trust boundary.
export { constantTimeEqual, fromBase64Url, toBase64Url } from "./bytes.ts";
export { EDGE_CONTEXT_HEADER, type EdgeContext, signEdgeContext, verifyEdgeContext } from "./edge-context.ts";
export { asKeyring, type Keyring, type Keys, keyring } from "./keyring.ts";
export type {
  ErrorReport,
  ExposureRow,
  Identity,
  IdentityAnswer,
  OriginBinding,
  OriginRpc,
} from "./origin-rpc.ts";
export { signValue, verifyValue } from "./sign.ts";
