// One fake per test file, every answer it sends recorded and checked against the bundled specs
// after the file's tests with otc-backup-api/validate (a field the spec lacks counts too), and
// clients of both services through the public API: password auth against the fake's IAM,
// endpoints from the token's catalog.
import { afterAll, beforeAll, expect } from "vitest";
import { clientOptionsFromCatalog, createCbrClient, createVbsClient, passwordAuth, type CbrOperationBody } from "../../src/index.js";
import { startFake, type Exchange, type Fake, type FakeOptions } from "../../src/fake/index.js";
import { validateResponse } from "../../src/validate/index.js";
import { cbrOperationIds } from "../../generated/cbr.meta.js";
import { vbsOperationIds } from "../../generated/vbs.meta.js";

/**
 * Every way an answer breaks its operation's documented response, one line each. Notices count
 * too: the fake sends only what the spec declares (no undeclared property, no value an open enum
 * does not list).
 */
export function violations(exchanges: readonly Exchange[]): string[] {
  const problems: string[] = [];
  for (const e of exchanges) {
    if (e.fault || (e.service !== "cbr" && e.service !== "vbs") || !e.operationId) continue;
    for (const issue of validateResponse(e.service, e.operationId, e.status, e.body, new Headers(e.headers))) {
      problems.push(
        `${e.operationId} ${e.status} ${issue.pointer || "(body)"}: expected ${issue.expected}, got ${issue.actual}${issue.value === undefined ? "" : ` ${JSON.stringify(issue.value)}`}`,
      );
    }
  }
  return [...new Set(problems)];
}

/** The operations of `service` that no exchange answered with success. */
export function uncovered(exchanges: readonly Exchange[], service: "cbr" | "vbs"): string[] {
  const succeeded = new Set(
    exchanges.filter((e) => e.service === service && !e.fault && e.status >= 200 && e.status < 300).map((e) => e.operationId),
  );
  const all: string[] = Object.values(service === "cbr" ? cbrOperationIds : vbsOperationIds);
  return all.filter((id) => !succeeded.has(id));
}

export interface FakeHandle {
  fake: Fake;
  exchanges: Exchange[];
}

/** Starts a fake for this file; after its tests, asserts that every answer matched the spec. */
export function useFake(options: FakeOptions = { speed: 0 }): () => FakeHandle {
  let handle: FakeHandle | undefined;
  beforeAll(async () => {
    const fake = await startFake(options);
    const exchanges: Exchange[] = [];
    fake.onExchange((e) => exchanges.push(e));
    handle = { fake, exchanges };
  });
  afterAll(async () => {
    if (!handle) return;
    await handle.fake.stop();
    expect(violations(handle.exchanges), "answers of the fake that break the spec").toEqual([]);
  });
  return () => {
    if (!handle) throw new Error("the fake is not running");
    return handle;
  };
}

/** CBR and VBS clients of the fake's main project (or of `projectName`), as a user would make them. */
export async function clientsOf(fake: Fake, projectName = fake.credentials.password.projectName) {
  const auth = passwordAuth({ ...fake.credentials.password, projectName });
  const cbr = createCbrClient(await clientOptionsFromCatalog(auth, { service: "cbr" }));
  const vbs = createVbsClient(await clientOptionsFromCatalog(auth, { service: "vbs" }));
  return { auth, cbr, vbs };
}

type VaultResource = CbrOperationBody<"createVault">["vault"]["resources"][number];
export const SERVER: VaultResource = { id: "94eba8b2-acc9-4d82-badc-127144cc5526", type: "OS::Nova::Server", name: "ecs-web-01" };
export const SERVER_2: VaultResource = { id: "97595625-198e-4e4d-879b-9d53f68ba551", type: "OS::Nova::Server", name: "ecs-web-02" };
export const VOLUME = "2748f2f2-4394-4e6e-af8d-8dd34496c024";
export const VOLUME_2 = "bce8d47a-af17-4169-901f-4c7ae9f29c2c";

export function serverVault(
  name: string,
  resources: VaultResource[] = [SERVER],
  protectType: "backup" | "replication" = "backup",
): CbrOperationBody<"createVault"> {
  return {
    vault: {
      name,
      billing: { consistent_level: "crash_consistent", object_type: "server", protect_type: protectType, size: 100 },
      resources,
    },
  };
}
