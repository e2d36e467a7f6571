#!/usr/bin/env node
// The README's first command ends here: start Prism mocks of both bundled specs on 127.0.0.1,
// then use the built client (dist/) the way a user would, and print what comes back.
import { fileURLToPath } from "node:url";
import { startPrism } from "./mock-server.mjs";

const { createCbrClient, createVbsClient, paginate, staticTokenAuth, unwrap } = await import("../dist/src/index.js");
const spec = (service) => fileURLToPath(new URL(`../generated/${service}.openapi.json`, import.meta.url));

const [cbrMock, vbsMock] = await Promise.all([startPrism(spec("cbr")), startPrism(spec("vbs"))]);
try {
  const auth = staticTokenAuth("demo-token");
  const projectId = "2a1b9f7e5c3d4e6f8a0b1c2d3e4f5a6b";

  const cbr = createCbrClient({ endpoint: cbrMock.url, projectId, auth });
  // The mock is stateless (every page is the documented example), so ask for one page's worth.
  console.log(`CBR backups (mock at ${cbrMock.url}):`);
  for await (const b of paginate(cbr, "/v3/{project_id}/backups", undefined, { maxItems: 10 })) {
    console.log(`  ${b.id}  ${b.status.padEnd(10)} ${b.resource_type.padEnd(18)} ${b.name}`);
  }

  const vbs = createVbsClient({ endpoint: vbsMock.url, projectId, auth });
  const native = unwrap(await vbs.GET("/v3/{project_id}/backups/detail", { params: { query: { limit: 10 } } }));
  console.log(`VBS backups (mock at ${vbsMock.url}):`);
  for (const b of native.backups) console.log(`  ${b.id}  ${String(b.status).padEnd(10)} ${b.size} GB  ${b.name ?? "(no name)"}`);
} finally {
  await Promise.all([cbrMock.stop(), vbsMock.stop()]);
}
