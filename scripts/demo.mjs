#!/usr/bin/env node
// The README's first command ends here: start the stateful fake of CBR, VBS and IAM on
// 127.0.0.1, then use the built client (dist/) the way a user would against a real account:
// password auth, endpoints from the catalog, a vault backed up and waited for, a disk backed up
// through a VBS job, and what comes back printed.
const { createCbrClient, createVbsClient, clientOptionsFromCatalog, paginate, passwordAuth, unwrap, waitForCheckpoint, waitForJob } =
  await import("../dist/src/index.js");
const { startFake } = await import("../dist/src/fake/index.js");

const fake = await startFake({ speed: 0 });
try {
  // The waiters sleep on the fake's clock: simulated minutes pass at once.
  const wait = { clock: fake.clock };
  const auth = passwordAuth(fake.credentials.password);
  const cbr = createCbrClient(await clientOptionsFromCatalog(auth, { service: "cbr" }));
  const vbs = createVbsClient(await clientOptionsFromCatalog(auth, { service: "vbs" }));

  const servers = [
    { id: "94eba8b2-acc9-4d82-badc-127144cc5526", type: "OS::Nova::Server", name: "web-1" },
    { id: "97595625-198e-4e4d-879b-9d53f68ba551", type: "OS::Nova::Server", name: "db-1" },
  ];
  const billing = { consistent_level: "crash_consistent", object_type: "server", protect_type: "backup", size: 100 };
  const { vault } = unwrap(await cbr.createVault({ body: { vault: { name: "demo", billing, resources: servers } } }));
  const { checkpoint } = unwrap(
    await cbr.createCheckpoint({ body: { checkpoint: { vault_id: vault.id, parameters: { name: "nightly" } } } }),
  );
  await waitForCheckpoint(cbr, checkpoint.id, wait);
  console.log(`CBR backups of vault ${vault.name} (fake at ${fake.cbr}):`);
  for await (const b of paginate(cbr, "/v3/{project_id}/backups", { params: { query: { vault_id: vault.id } } })) {
    console.log(`  ${b.id}  ${b.status.padEnd(10)} ${b.resource_type.padEnd(18)} ${b.name}`);
  }

  const { job_id } = unwrap(
    await vbs.createCloudBackup({ body: { backup: { volume_id: "2748f2f2-4394-4e6e-af8d-8dd34496c024", name: "db-data" } } }),
  );
  await waitForJob(vbs, job_id, wait);
  const native = unwrap(await vbs.listNativeBackupDetails({ query: { limit: 10 } }));
  console.log(`VBS backups (fake at ${fake.vbs}):`);
  for (const b of native.backups) console.log(`  ${b.id}  ${String(b.status).padEnd(10)} ${b.size} GB  ${b.name ?? "(no name)"}`);
  console.log(`\nThe fake: docs/fake.md; run one with npx otc-backup-api fake. The Prism mock: docs/mock.md.`);
} finally {
  await fake.stop();
}
