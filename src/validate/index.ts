// `otc-backup-api/validate`: checks responses (and requests) against the bundled specs with
// validators compiled at build time; nothing of it is in the package root.
export type { SchemaIssue, ServiceName } from "./types.js";
export { validateResponse } from "./response.js";
export { validateRequest } from "./request.js";
export type { RequestParts } from "./request.js";
export { validationMiddleware, ResponseValidationError } from "./middleware.js";
export type { ValidationMiddleware, ValidationMiddlewareOptions } from "./middleware.js";
