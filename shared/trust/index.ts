// Signing for values that cross a trust boundary.
export { EDGE_CONTEXT_HEADER, type EdgeContext, signEdgeContext, verifyEdgeContext } from "./edge-context.ts";
export { asKeyring, type Keyring, type Keys, keyring } from "./keyring.ts";
export type { ErrorReport, ExposureRow, IdentityAnswer, OriginBinding, OriginRpc } from "./origin-rpc.ts";
export { fromBase64Url, signValue, toBase64Url, verifyValue } from "./sign.ts";
