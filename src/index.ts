// The public surface of otc-backup-api, by topic. Request signing for other APIs, endpoints and
// IAM catalogs, error bodies and the operation metadata: `otc-backup-api/advanced`. clouds.yaml
// and secure.yaml on Node: `otc-backup-api/node`.

// Clients: one per service, calls by path and by operation name, unwrap for their results.
export { createVbsClient, createCbrClient } from "./clients.js";
export type { ClientOptions, VbsClient, CbrClient } from "./clients.js";
export { unwrap } from "./call-results.js";
export { fetchSender } from "./pipeline/senders/fetch.js";
export type { FetchLike } from "./pipeline/senders/fetch.js";
export type { Sender } from "./pipeline/senders/types.js";

// Authentication strategies, and client options from a token's catalog.
export { staticTokenAuth } from "./auth/static-token.js";
export { passwordAuth } from "./auth/password.js";
export type { PasswordAuthOptions } from "./auth/password.js";
export { agencyAuth } from "./auth/agency.js";
export type { AgencyAuthOptions } from "./auth/agency.js";
export { akskAuth } from "./auth/aksk.js";
export type { AkSkAuthOptions } from "./auth/aksk.js";
export { temporaryCredentialsAuth } from "./auth/temporary.js";
export type { TemporaryCredentialsAuthOptions } from "./auth/temporary.js";
export { clientOptionsFromCatalog } from "./auth/discover.js";
export type { CatalogOptionsRequest, DiscoveredClientOptions } from "./auth/discover.js";
export { AuthenticationError, InvalidHeaderError } from "./auth/errors.js";
export type { AuthStrategy, Discovery, DiscoverableAuth, TokenAuth } from "./auth/types.js";
export type { Clock } from "./clock.js";

// Configuration from OS_* variables in any runtime (clouds.yaml on Node: otc-backup-api/node).
export { cloudConfigFromEnv } from "./config/cloud-config.js";
export type { CloudConfig, Env } from "./config/cloud-config.js";
export { authFromCloudConfig, clientOptionsFromCloudConfig } from "./config/to-options.js";
export type { AuthFactoryOptions } from "./config/to-options.js";
export { ConfigError } from "./config/errors.js";

// Pagination: every item or page of a list operation.
export { paginate, paginatePages } from "./paging/index.js";
export type { PaginateOptions, Page, PaginatedPath, PageInit, PageData, PageItem } from "./paging/index.js";

// Waiters: until a job, backup, restore point, task or vault's resources have settled.
export { waitFor, waitForJob, waitForBackup, waitForCheckpoint, waitForVaultResources, waitForTask } from "./waiting/index.js";
export type {
  WaitOptions,
  WaitProgress,
  BackupWaitOptions,
  VaultResourcesWaitOptions,
  Started,
  AsyncOperation,
  WaitResult,
  JobResult,
  BackupResult,
  CheckpointResult,
  VaultResult,
  TaskResult,
} from "./waiting/index.js";

// Errors of calls (OtcApiError) and of the helpers.
export { OtcApiError, isOtcApiError, PaginationError, OperationFailedError, WaitTimeoutError } from "./errors.js";
export type { ApiErrorKind } from "./errors.js";

// Retries and timeouts (ClientOptions.retry, timeoutMs).
export type { RetryOptions, RetryInfo } from "./pipeline/steps/retry.js";

// Logging (ClientOptions.onEvent).
export type { ClientEvent, AttemptEvent, ClientEventListener } from "./pipeline/steps/observe.js";

// The types of both services' schemas and operations.
export type {
  CbrComponents,
  CbrPaths,
  CbrOperations,
  CbrOperationsById,
  CbrSchemas,
  CbrSchema,
  CbrOperationId,
  CbrOperationParams,
  CbrOperationBody,
  CbrOperationResult,
  CbrOperationError,
  VbsComponents,
  VbsPaths,
  VbsOperations,
  VbsOperationsById,
  VbsSchemas,
  VbsSchema,
  VbsOperationId,
  VbsOperationParams,
  VbsOperationBody,
  VbsOperationResult,
  VbsOperationError,
} from "./service-types.js";
