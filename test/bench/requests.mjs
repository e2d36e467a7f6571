// The signed requests of figures (b), (g) and (h), described once: the credentials, a GET with a
// query, and a POST with a 1 kB JSON body (CBR's create vault, with three resources).
export const AK = "QTWAOYTTINDUT2QVKYUC";
export const SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
export const PROJECT = "0123456789abcdef0123456789abcdef";
const HOST = "cbr.eu-de.otc.t-systems.com";
const SDK_DATE = "20240501T030000Z";
export const BACKUP_ID = "6df2b54c-dd62-4059-a07c-1b8f24f2725d";

const resource = (id, volume) => ({ extra_info: { exclude_volumes: [volume] }, id, type: "OS::Nova::Server" });

/** A createVault body: 1,031 bytes of JSON. */
export const VAULT_BODY = {
  vault: {
    backup_policy_id: "6dd81d7d-a4cb-443e-b8ed-1af0bd3a261b",
    billing: {
      cloud_type: "public",
      consistent_level: "crash_consistent",
      object_type: "server",
      protect_type: "backup",
      size: 100,
      charging_mode: "post_paid",
      is_auto_renew: false,
      is_auto_pay: false,
      console_url: "https://console.demo.com/cbr/?agencyId=97fcd896b7914cb98f553a087232e243&region=eu-de/cbr/manager/csbs/vaultList",
    },
    description: "app server backups",
    name: "vault-app-servers",
    resources: [
      resource("23a320a5-3efd-4568-b1aa-8dd9183cc64c", "43a320a5-3efd-4568-b1aa-8dd9183cc64b"),
      resource("9b1c3f5e-7a2d-4e8f-b6c4-1d3e5f7a9b2c", "0f2e4d6c-8b1a-4c3e-9d5f-7a9b1c3e5f7d"),
      resource("4e6a8c0e-2b4d-4f6a-8c0e-2b4d6f8a0c2e", "7c9e1a3c-5e7a-4c9e-b1a3-c5e7a9c1e3a5"),
    ],
    tags: [
      { key: "environment", value: "production" },
      { key: "owner", value: "platform-team" },
    ],
    enterprise_project_id: "0",
  },
};
export const VAULT_JSON = JSON.stringify(VAULT_BODY);

/**
 * The two requests as each signer takes them, with the same method, URL, headers, body and
 * X-Sdk-Date: `ours` is a SigningInput (URL as a string, parsed by the signer as Huawei's parses
 * its endpoint; the body as the JSON text sent), `theirs` the request object of
 * @huaweicloud/huaweicloud-sdk-core's AKSKSigner (which serializes `data` with JSON.stringify and
 * hashes that). `request` builds the Request a custom integration hands to akskAuth.
 */
export function signingCases() {
  const get = {
    name: "GET",
    method: "GET",
    path: `/v3/${PROJECT}/backups`,
    query: { limit: "100", offset: "200", vault_id: "3b5816b5-f29c-4172-9d9a-76c719a659ce", sort: "created_at:desc" },
    headers: { "X-Project-Id": PROJECT },
  };
  const post = {
    name: "POST",
    method: "POST",
    path: `/v3/${PROJECT}/vaults`,
    query: {},
    headers: { "Content-Type": "application/json", "X-Project-Id": PROJECT },
    body: VAULT_BODY,
  };
  return [get, post].map((c) => {
    const search = new URLSearchParams(c.query).toString();
    const url = `https://${HOST}${c.path}${search ? `?${search}` : ""}`;
    const ourHeaders = { host: HOST, "x-sdk-date": SDK_DATE };
    for (const [k, v] of Object.entries(c.headers)) ourHeaders[k.toLowerCase()] = v;
    const body = c.body ? JSON.stringify(c.body) : undefined;
    return {
      name: c.name,
      bodyBytes: body ? Buffer.byteLength(body) : 0,
      theirs: {
        method: c.method,
        endpoint: `https://${HOST}${c.path}`,
        queryParams: c.query,
        headers: { ...c.headers, "X-Sdk-Date": SDK_DATE },
        ...(c.body ? { data: c.body } : {}),
      },
      ours: { method: c.method, url, headers: ourHeaders, ...(body ? { body } : {}) },
      request: () => new Request(url, { method: c.method, headers: c.headers, ...(body ? { body } : {}) }),
      bytes: body ? new TextEncoder().encode(body).buffer : undefined,
    };
  });
}
