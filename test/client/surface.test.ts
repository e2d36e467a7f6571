// The public surface, value by value: the root holds what the README's users need; the building
// blocks are in `otc-backup-api/advanced`; the Node entry is the root plus the clouds.yaml loaders
// and the node:http sender.
// A new export is a decision, so it changes this list.
import { describe, expect, it } from "vitest";
import * as root from "../../src/index.js";
import * as advanced from "../../src/advanced.js";
import * as node from "../../src/node.js";

const ROOT = {
  clients: ["createCbrClient", "createVbsClient", "fetchSender", "unwrap"],
  auth: [
    "AuthenticationError",
    "InvalidHeaderError",
    "agencyAuth",
    "akskAuth",
    "clientOptionsFromCatalog",
    "passwordAuth",
    "staticTokenAuth",
    "temporaryCredentialsAuth",
  ],
  config: ["ConfigError", "authFromCloudConfig", "clientOptionsFromCloudConfig", "cloudConfigFromEnv"],
  pagination: ["paginate", "paginatePages"],
  waiters: ["waitFor", "waitForBackup", "waitForCheckpoint", "waitForJob", "waitForTask", "waitForVaultResources"],
  errors: ["OperationFailedError", "OtcApiError", "PaginationError", "WaitTimeoutError", "isOtcApiError"],
};

const ADVANCED = [
  ...["formatSdkDate", "signRequest"],
  ...["KNOWN_REGIONS", "authUrlForRegion", "endpointFromCatalog", "resolveEndpoint"],
  "readServiceError",
  ...["BodyLimitError", "SendError"],
  "cloudConfigFromEntry",
  ...["cbrAsync", "cbrOperationIds", "cbrPagination", "clientMeta", "vbsAsync", "vbsOperationIds", "vbsPagination"],
];

describe("the public surface", () => {
  it("root: clients, auth, config from the environment, pagination, waiters, errors", () => {
    expect(Object.keys(root).sort()).toEqual(Object.values(ROOT).flat().sort());
  });

  it("otc-backup-api/advanced: signing, endpoints and catalogs, error bodies, a clouds.yaml entry, operation metadata", () => {
    expect(Object.keys(advanced).sort()).toEqual([...ADVANCED].sort());
  });

  it("otc-backup-api/node: the root, the clouds.yaml loaders and the node sender", () => {
    expect(Object.keys(node).sort()).toEqual(
      [...Object.keys(root), "loadAuth", "loadClientOptions", "loadCloudConfig", "nodeSender"].sort(),
    );
  });
});
