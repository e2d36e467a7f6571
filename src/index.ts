// The public surface of otc-backup-api.
export { createVbsClient, createCbrClient } from "./clients.js";
export type { ClientOptions, VbsClient, CbrClient } from "./clients.js";
export { staticTokenAuth } from "./auth/static-token.js";
export type { AuthStrategy } from "./auth/types.js";
export { resolveEndpoint, KNOWN_REGIONS } from "./endpoints.js";
export type { Service, EndpointOptions } from "./endpoints.js";
