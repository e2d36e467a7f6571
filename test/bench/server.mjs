#!/usr/bin/env node
// The loopback server of the benchmarks, run in its own process so that its work is not measured
// in the client's event loop. Listens on 127.0.0.1 (port from argv[2], default any free one),
// prints `listening <port>` on stdout, and exits when its stdin closes (so it never outlives the
// benchmark) or after 10 minutes at most.
//
//   GET /v3/{project}/backups/{id}              a ~350-byte CBR backup (figures a, h)
//   GET /v3/{project}/backups?limit=&offset=    offset pages of TOTAL items, each answered after
//                                               DELAY ms (figure c; ?delay=ms overrides)
//   POST /v3/{project}/vaults                   a ~700-byte CBR vault, with the SHA-256 of the body
//                                               received in X-Body-Sha256 (figure h)
import { createHash } from "node:crypto";
import { createServer } from "node:http";

const TOTAL = 10_000;
const DEFAULT_DELAY_MS = 20;
const MAX_LIFETIME_MS = 10 * 60_000;

const backup = (id) => ({
  id,
  name: `backup-${id}`,
  status: "available",
  resource_id: "94eba8b2-acc9-4d82-badc-127144cc5526",
  resource_type: "OS::Nova::Server",
  vault_id: "3b5816b5-f29c-4172-9d9a-76c719a659ce",
  created_at: "2024-05-01T03:00:00.000000",
  expired_at: "2024-06-01T03:00:00.000000",
  protected_at: "2024-05-01T03:00:01.000000",
  image_type: "backup",
  provider_id: "0daac4c5-6707-4851-97ba-169e36266b66",
  resource_size: 40,
});
const single = JSON.stringify({ backup: backup("6df2b54c-dd62-4059-a07c-1b8f24f2725d") });
const createdVault = JSON.stringify({
  vault: {
    id: "ad7627ae-5b0b-492e-b6bd-cd809b745197",
    name: "vault-app-servers",
    description: "app server backups",
    project_id: "0123456789abcdef0123456789abcdef",
    provider_id: "0daac4c5-6707-4851-97ba-169e36266b66",
    created_at: "2024-05-01T03:00:00.000000",
    billing: {
      allocated: 0,
      cloud_type: "public",
      consistent_level: "crash_consistent",
      object_type: "server",
      protect_type: "backup",
      size: 100,
      status: "available",
      used: 0,
      charging_mode: "post_paid",
      spec_code: "vault.backup.server.normal",
    },
    resources: [
      { id: "23a320a5-3efd-4568-b1aa-8dd9183cc64c", type: "OS::Nova::Server", name: "app-1", protect_status: "available", size: 40 },
    ],
    tags: [{ key: "environment", value: "production" }],
    enterprise_project_id: "0",
  },
});
const json = { "Content-Type": "application/json", "X-Request-Id": "bench-0001" };

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const parts = url.pathname.split("/"); // ["", "v3", project, "backups", id?]
  if (req.method === "GET" && parts[1] === "v3" && parts[3] === "backups" && parts.length === 5) {
    res.writeHead(200, { ...json, "Content-Length": Buffer.byteLength(single) });
    res.end(single);
    return;
  }
  if (req.method === "GET" && parts[1] === "v3" && parts[3] === "backups" && parts.length === 4) {
    const limit = Math.min(1000, Number(url.searchParams.get("limit") ?? 1000));
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const delay = Number(url.searchParams.get("delay") ?? DEFAULT_DELAY_MS);
    const backups = [];
    for (let i = offset; i < Math.min(TOTAL, offset + limit); i++) backups.push({ id: `b-${i}`, name: `backup-${i}`, status: "available" });
    const text = JSON.stringify({ backups, count: TOTAL });
    setTimeout(() => {
      res.writeHead(200, { ...json, "Content-Length": Buffer.byteLength(text) });
      res.end(text);
    }, delay);
    return;
  }
  if (req.method === "POST" && parts[1] === "v3" && parts[3] === "vaults" && parts.length === 4) {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const sha256 = createHash("sha256").update(Buffer.concat(chunks)).digest("hex");
      res.writeHead(200, { ...json, "Content-Length": Buffer.byteLength(createdVault), "X-Body-Sha256": sha256 });
      res.end(createdVault);
    });
    return;
  }
  res.writeHead(404, json);
  res.end(JSON.stringify({ error_code: "BENCH.404", error_msg: "no such path" }));
});
server.keepAliveTimeout = 60_000;

server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
setTimeout(stop, MAX_LIFETIME_MS).unref();
