// Figure (h): an AK/SK-signed call end to end, what users run: this package's client
// (createCbrClient + akskAuth, default retry policy and timeout, throwOnError) against Huawei's
// official Node SDK (@huaweicloud/huaweicloud-sdk-core HcClient, built by its ClientBuilder with
// BasicCredentials, sending through its axios client), both to the same loopback server
// (server.mjs, its own process): GET one backup, and POST a 1 kB JSON createVault body, each its
// own figure. Microseconds per call, ours / theirs, sequential calls, median of rounds in which
// the four variants take turns going first. The client process's CPU time per call is reported
// too (the server's is not counted). Both must read the same backup and send the same body bytes
// (the server answers their SHA-256) first. For reference in the same rounds: plain fetch (no
// signature, no client) of the same GET and POST, the floor of Node's fetch on this machine.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { distUrl, fmt, inRounds, median, spread, startServer, timeSequential } from "./lib.mjs";
import { AK, BACKUP_ID, PROJECT, SK, VAULT_BODY, VAULT_JSON } from "./requests.mjs";

export const TARGET = 0.75;

export async function measure({ rounds = 12, perRound = 1_000, warmup = 500, log = () => {} } = {}) {
  const require = createRequire(import.meta.url);
  const { ClientBuilder } = require("@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js");
  const { BasicCredentials } = require("@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js");
  const { createCbrClient, akskAuth } = await import(distUrl("src/index.js"));
  const server = await startServer();
  try {
    const cbr = createCbrClient({
      endpoint: server.origin,
      projectId: PROJECT,
      auth: akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT }),
      throwOnError: true,
    });
    const hc = new ClientBuilder((client) => client)
      .withEndpoint(server.origin)
      .withCredential(new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT))
      .build();

    // The request options as Huawei's generated service clients build them, anew for every call.
    const theirsGet = () =>
      hc.sendRequest({
        method: "GET",
        url: "/v3/{project_id}/backups/{backup_id}",
        contentType: "application/json",
        queryParams: {},
        pathParams: { backup_id: BACKUP_ID },
        headers: {},
      });
    const theirsPost = (extra = {}) =>
      hc.sendRequest({
        method: "POST",
        url: "/v3/{project_id}/vaults",
        contentType: "application/json;charset=UTF-8",
        queryParams: {},
        pathParams: {},
        headers: {},
        data: VAULT_BODY,
        ...extra,
      });
    const oursGet = () => cbr.GET("/v3/{project_id}/backups/{backup_id}", { params: { path: { backup_id: BACKUP_ID } } });
    const oursPost = () => cbr.POST("/v3/{project_id}/vaults", { body: VAULT_BODY });

    // Same answers and the same bytes sent, or the comparison means nothing.
    const [ours, theirs] = [(await oursGet()).data, await theirsGet()];
    if (JSON.stringify(ours.backup) !== JSON.stringify(theirs.backup)) throw new Error("the two clients read different backups");
    const expected = createHash("sha256").update(VAULT_JSON).digest("hex");
    const oursSent = (await oursPost()).response.headers.get("x-body-sha256");
    const theirsSent = (await theirsPost({ responseHeaders: ["X-Body-Sha256"] }))["X-Body-Sha256"];
    if (oursSent !== expected || theirsSent !== expected)
      throw new Error(`the clients sent other bodies than the ${VAULT_JSON.length}-byte JSON: ${oursSent}, ${theirsSent}`);

    const getUrl = `${server.origin}/v3/${PROJECT}/backups/${BACKUP_ID}`;
    const fetchGet = async () => (await fetch(getUrl, { headers: { "X-Project-Id": PROJECT } })).json();
    const fetchPost = async () =>
      (
        await fetch(`${server.origin}/v3/${PROJECT}/vaults`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Project-Id": PROJECT },
          body: VAULT_JSON,
        })
      ).json();
    const variants = { oursGet, theirsGet, fetchGet, oursPost, theirsPost: () => theirsPost(), fetchPost };
    const names = Object.keys(variants);
    for (const name of names) await timeSequential(variants[name], warmup);

    const perCall = (run) => ({ us: (run.ms * 1000) / perRound, cpuUs: (run.cpuMs * 1000) / perRound });
    const runs = await inRounds(
      Object.fromEntries(names.map((name) => [name, () => () => timeSequential(variants[name], perRound)])),
      rounds,
      (round, so) =>
        log(
          `  round ${round + 1}: ${names.map((name) => `${name} ${fmt(perCall(so[name].at(-1)).us, 1)} µs (CPU ${fmt(perCall(so[name].at(-1)).cpuUs, 1)})`).join(", ")}`,
        ),
    );
    const us = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => perCall(run).us)]));
    const cpuUs = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => perCall(run).cpuUs)]));
    const ratios = {
      GET: us.oursGet.map((ours, round) => ours / us.theirsGet[round]),
      POST: us.oursPost.map((ours, round) => ours / us.theirsPost[round]),
    };
    const values = ["GET", "POST"].map((method) => {
      const [o, t, f] = method === "GET" ? ["oursGet", "theirsGet", "fetchGet"] : ["oursPost", "theirsPost", "fetchPost"];
      const value = median(ratios[method]);
      return {
        name: method,
        value,
        pass: value <= TARGET,
        detail: {
          ratios: ratios[method],
          spread: spread(ratios[method]),
          oursUs: median(us[o]),
          theirsUs: median(us[t]),
          oursCpuUs: median(cpuUs[o]),
          theirsCpuUs: median(cpuUs[t]),
          cpuRatio: median(cpuUs[o]) / median(cpuUs[t]),
          fetchUs: median(us[f]),
          fetchRatio: median(us[f].map((plain, round) => plain / us[t][round])),
        },
      };
    });
    return { values, detail: { rounds, perRound, bodyBytes: Buffer.byteLength(VAULT_JSON) } };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  for (const v of r.values) console.log(`(h) ${v.name}: ours/theirs = ${fmt(v.value, 3)}×`, v.detail);
}
