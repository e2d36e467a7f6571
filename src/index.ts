// The public surface of otc-backup-api.
export { createVbsClient, createCbrClient } from "./clients.js";
export type { ClientOptions, VbsClient, CbrClient } from "./clients.js";
export { staticTokenAuth } from "./auth/static-token.js";
export type { AuthStrategy } from "./auth/types.js";
export type { Clock } from "./clock.js";
export { resolveEndpoint, KNOWN_REGIONS } from "./endpoints.js";
export type { Service, EndpointOptions } from "./endpoints.js";

// auth
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
export type { Discovery, DiscoverableAuth, TokenAuth } from "./auth/types.js";
export { authUrlForRegion } from "./auth/iam.js";
export { sign as signRequest, formatSdkDate } from "./auth/signer.js";
export type { SigningInput, Signature } from "./auth/signer.js";
export { endpointFromCatalog } from "./endpoints.js";
export type { CatalogService } from "./endpoints.js";
export { cloudConfigFromEnv, cloudConfigFromEntry } from "./config/cloud-config.js";
export type { CloudConfig, ConfigOrigin, Env } from "./config/cloud-config.js";
export { authFromCloudConfig, clientOptionsFromCloudConfig } from "./config/to-options.js";
export type { AuthFactoryOptions } from "./config/to-options.js";
export { ConfigError } from "./config/errors.js";

// pagination, waiters, errors, retries
export { paginate, paginatePages } from "./pagination.js";
export type { PaginateOptions, Page, PaginatedPath, PageInit, PageData, PageItem } from "./pagination.js";
export { waitFor, waitForJob, waitForBackup, waitForCheckpoint, waitForVaultResources, waitForTask } from "./waiters.js";
export type {
  WaitOptions,
  WaitProgress,
  BackupWaitOptions,
  VaultResourcesWaitOptions,
  Started,
  AsyncOperation,
  WaitResult,
  GetData,
  JobResult,
  BackupResult,
  CheckpointResult,
  VaultResult,
  TaskResult,
} from "./waiters.js";
export { OtcApiError, isOtcApiError, readServiceError, PaginationError, OperationFailedError, WaitTimeoutError } from "./errors.js";
export { unwrap } from "./call-results.js";
export type { ApiErrorKind, ServiceError } from "./errors.js";
export { retryPolicy } from "./retry.js";
export type { RetryOptions, RetryInfo } from "./retry.js";
export type { ClientEvent, AttemptEvent, ClientEventListener } from "./client-events.js";
export { clientMeta } from "./operations.js";
export type { PaginationMeta, PaginationStyle, AsyncMeta, OperationMeta, OperationTable, ClientMeta, WithClientMeta } from "./operations.js";
export type { OtcClient } from "./client-core.js";

// calls by operation name, and the types of both services' schemas and operations
export type { CallsByName, OperationCall, OperationInit } from "./by-name.js";
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
