// The Node entry point (`otc-backup-api/node`): everything in the package root, plus loading
// clouds.yaml / secure.yaml from the usual places. Only this entry uses node:* modules and `yaml`.
export * from "./index.js";
export { loadCloudConfig, loadAuth, loadClientOptions } from "./config/load.js";
export type { LoadConfigOptions } from "./config/load.js";
export type { SearchOptions } from "./config/files.js";
export { nodeSender } from "./pipeline/senders/node.js";
export type { NodeSenderOptions } from "./pipeline/senders/node.js";
