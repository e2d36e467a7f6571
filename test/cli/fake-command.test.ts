// `otc-backup-api fake`: one line of JSON the client's options take as they are, served until
// SIGINT or SIGTERM, with one-line errors.
import { once } from "node:events";
import { createServer } from "node:net";
import { beforeAll, describe, expect, test } from "vitest";
import { akskAuth, clientOptionsFromCatalog, createCbrClient, createVbsClient, passwordAuth } from "../../src/index.js";
import { buildBin, finished, listening, run } from "./bin.js";

beforeAll(() => buildBin("fake"), 60_000);

async function firstLine(child: ReturnType<typeof run>): Promise<string> {
  let text = "";
  for await (const chunk of child.stdout!) {
    text += chunk;
    if (text.includes("\n")) break;
  }
  return text.slice(0, text.indexOf("\n"));
}

describe("otc-backup-api fake", () => {
  test.each(["SIGTERM", "SIGINT"] as const)("prints endpoints and credentials, serves the client, stops on %s", async (signal) => {
    const child = run(["fake", "--seed", "9", "--speed", "50"]);
    const info = JSON.parse(await firstLine(child));
    expect(Object.keys(info)).toEqual(expect.arrayContaining(["iam", "cbr", "vbs", "projectId", "region", "credentials"]));
    const cbr = createCbrClient(await clientOptionsFromCatalog(passwordAuth(info.credentials.password), { service: "cbr" }));
    expect((await cbr.listVault()).response.status).toBe(200);
    const vbs = createVbsClient({ endpoint: info.vbs, projectId: info.projectId, auth: akskAuth(info.credentials.aksk) });
    expect((await vbs.showQuotas()).response.status).toBe(200);
    const port = Number(new URL(info.iam).port);
    const exited = finished(child);
    child.kill(signal);
    expect((await exited).code).toBe(0);
    expect(await listening(port)).toBe(false);
  });

  test("a port in use is one line on stderr", async () => {
    const taken = createServer().listen(0, "127.0.0.1");
    await once(taken, "listening");
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await finished(run(["fake", "--port", String(port)]));
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`otc-backup-api: port ${port} on 127.0.0.1 is in use\n`);
    } finally {
      taken.close();
    }
  });

  test.each([
    [["fake", "--speed=-1"], /--speed takes a number ≥ 0/],
    [["fake", "--seed", "x"], /--seed takes an integer/],
    [["fake", "--port", "99999"], /--port takes a number from 0 to 65535/],
    [["fake", "extra"], /unexpected argument "extra"/],
  ])("usage error %j", async (args, message) => {
    const result = await finished(run(args));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
