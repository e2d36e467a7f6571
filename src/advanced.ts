// `otc-backup-api/advanced`: the building blocks under the clients, for integrations of your
// own. Browser-safe, like the package root.

// Request signing (SDK-HMAC-SHA256), for calls to other Open Telekom Cloud APIs.
export { sign as signRequest, formatSdkDate } from "./auth/signer.js";
export type { SigningInput, Signature } from "./auth/signer.js";

// Endpoints: regions, IAM URLs, and service URLs from an IAM catalog.
export { resolveEndpoint, endpointFromCatalog, KNOWN_REGIONS } from "./endpoints.js";
export type { Service, EndpointOptions, CatalogService } from "./endpoints.js";
export { authUrlForRegion } from "./auth/iam.js";

// The service's code and message from any documented error body.
export { readServiceError } from "./errors.js";
export type { ServiceError } from "./errors.js";

// Configuration: one clouds.yaml entry (the Node entry finds and reads the files).
export { cloudConfigFromEntry } from "./config/cloud-config.js";
export type { ConfigOrigin } from "./config/cloud-config.js";

// Operation metadata: what a client carries, and what paginate and the waiters read (x-pagination
// and x-async of both specs, by "METHOD /path"; spec/EXTENSIONS.md).
export { clientMeta } from "./operations.js";
export type {
  ClientMeta,
  WithClientMeta,
  OperationIds,
  OperationMeta,
  OperationTable,
  PaginationMeta,
  PaginationStyle,
  AsyncMeta,
} from "./operations.js";
export { cbrOperationIds, cbrPagination, cbrAsync } from "../generated/cbr.meta.js";
export { vbsOperationIds, vbsPagination, vbsAsync } from "../generated/vbs.meta.js";
export type { CbrOperationTable, VbsOperationTable } from "./clients.js";

// The types behind a client's type and its calls by name.
export type { OtcClient } from "./client-core.js";
export type { CallsByName, OperationCall, OperationInit } from "./by-name.js";
export { SendError, BodyLimitError } from "./pipeline/senders/types.js";
export type { Sender, SendRequest, SentResponse, FailureStage } from "./pipeline/senders/types.js";
