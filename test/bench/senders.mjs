// Figure (j): the two senders alone (src/pipeline/senders/), what the request pipeline puts on the
// wire, against plain fetch doing the same exchange: GET one backup and POST the 1,031-byte
// createVault body to server.mjs (its own process), each answer read to bytes and parsed as JSON.
// Microseconds per call, sequential, median of rounds in which the variants take turns going
// first; the process's CPU time per call beside. The node sender is also measured with an
// AbortSignal per call (what the fetch sender is given; the node sender keeps the timeout with a
// timer of its own, also measured), and for reference in the same
// rounds Huawei's HcClient doing the whole signed call (what figure (h) compares the client with).
import { createRequire } from "node:module";
import { distUrl, fmt, inRounds, median, spread, startServer, timeSequential } from "./lib.mjs";
import { AK, BACKUP_ID, PROJECT, SK, VAULT_BODY, VAULT_JSON } from "./requests.mjs";

const LIMIT = 64 * 1024 * 1024;

export async function measure({ rounds = 10, perRound = 800, warmup = 400, log = () => {} } = {}) {
  const require = createRequire(import.meta.url);
  const { ClientBuilder } = require("@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js");
  const { BasicCredentials } = require("@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js");
  const { nodeSender } = await import(distUrl("src/pipeline/senders/node.js"));
  const { fetchSender } = await import(distUrl("src/pipeline/senders/fetch.js"));
  const server = await startServer();
  try {
    const node = nodeSender();
    const viaFetch = fetchSender();
    const hc = new ClientBuilder((client) => client)
      .withEndpoint(server.origin)
      .withCredential(new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT))
      .build();

    const getUrl = `${server.origin}/v3/${PROJECT}/backups/${BACKUP_ID}`;
    const postUrl = `${server.origin}/v3/${PROJECT}/vaults`;
    const body = new TextEncoder().encode(VAULT_JSON);
    const get = (signal, timeoutMs) => ({
      url: getUrl,
      method: "GET",
      headers: new Headers({ "X-Project-Id": PROJECT }),
      body: undefined,
      signal,
      timeoutMs,
    });
    const post = (signal, timeoutMs) => ({
      url: postUrl,
      method: "POST",
      headers: new Headers({ "Content-Type": "application/json", "X-Project-Id": PROJECT }),
      body,
      signal,
      timeoutMs,
    });
    const decoder = new TextDecoder();
    const read = async (sent) => JSON.parse(decoder.decode(await (await sent).bytes(LIMIT)));

    const variants = {
      nodeGet: () => read(node(get(undefined))),
      nodeGetSignal: () => read(node(get(new AbortController().signal))),
      nodeGetTimer: () => read(node(get(undefined, 30_000))),
      fetchSenderGet: () => read(viaFetch(get(undefined))),
      fetchGet: async () => (await fetch(getUrl, { headers: { "X-Project-Id": PROJECT } })).json(),
      theirsGet: () =>
        hc.sendRequest({
          method: "GET",
          url: "/v3/{project_id}/backups/{backup_id}",
          contentType: "application/json",
          queryParams: {},
          pathParams: { backup_id: BACKUP_ID },
          headers: {},
        }),
      nodePost: () => read(node(post(undefined))),
      nodePostSignal: () => read(node(post(new AbortController().signal))),
      nodePostTimer: () => read(node(post(undefined, 30_000))),
      fetchSenderPost: () => read(viaFetch(post(undefined))),
      fetchPost: async () =>
        (
          await fetch(postUrl, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-Project-Id": PROJECT },
            body: VAULT_JSON,
          })
        ).json(),
      theirsPost: () =>
        hc.sendRequest({
          method: "POST",
          url: "/v3/{project_id}/vaults",
          contentType: "application/json;charset=UTF-8",
          queryParams: {},
          pathParams: {},
          headers: {},
          data: VAULT_BODY,
        }),
    };
    // Same answers from every variant, or the comparison means nothing.
    const backup = JSON.stringify((await variants.fetchGet()).backup);
    for (const name of ["nodeGet", "fetchSenderGet"])
      if (JSON.stringify((await variants[name]()).backup) !== backup) throw new Error(`${name} read another backup`);
    const names = Object.keys(variants);
    for (const name of names) await timeSequential(variants[name], warmup);

    const perCall = (run) => ({ us: (run.ms * 1000) / perRound, cpuUs: (run.cpuMs * 1000) / perRound });
    const runs = await inRounds(
      Object.fromEntries(names.map((name) => [name, () => () => timeSequential(variants[name], perRound)])),
      rounds,
      (round, so) => log(`  round ${round + 1}: ${names.map((name) => `${name} ${fmt(perCall(so[name].at(-1)).us, 1)} µs`).join(", ")}`),
    );
    const us = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => perCall(run).us)]));
    const cpuUs = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => perCall(run).cpuUs)]));
    const ratioOf = (a, b) => us[a].map((x, round) => x / us[b][round]);
    const values = ["Get", "Post"].map((method) => {
      const vsFetch = ratioOf(`node${method}`, `fetch${method}`);
      return {
        name: method.toUpperCase(),
        value: median(vsFetch),
        detail: {
          spread: spread(vsFetch),
          us: Object.fromEntries(
            names
              .filter((n) => n.endsWith(method) || n.endsWith(`${method}Signal`) || n.endsWith(`${method}Timer`))
              .map((n) => [n, median(us[n])]),
          ),
          cpuUs: Object.fromEntries(
            names
              .filter((n) => n.endsWith(method) || n.endsWith(`${method}Signal`) || n.endsWith(`${method}Timer`))
              .map((n) => [n, median(cpuUs[n])]),
          ),
          cpuRatio: median(cpuUs[`node${method}`].map((x, round) => x / cpuUs[`fetch${method}`][round])),
          signalOverFetch: median(ratioOf(`node${method}Signal`, `fetch${method}`)),
          timerOverFetch: median(ratioOf(`node${method}Timer`, `fetch${method}`)),
          nodeOverTheirs: median(ratioOf(`node${method}`, `theirs${method}`)),
          fetchSenderOverFetch: median(ratioOf(`fetchSender${method}`, `fetch${method}`)),
          fetchSenderSpread: spread(ratioOf(`fetchSender${method}`, `fetch${method}`)),
          fetchSenderCpuRatio: median(cpuUs[`fetchSender${method}`].map((x, round) => x / cpuUs[`fetch${method}`][round])),
        },
      };
    });
    return { values, detail: { rounds, perRound, bodyBytes: body.byteLength } };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  for (const v of r.values) console.log(`(j) ${v.name}: node sender / plain fetch = ${fmt(v.value, 3)}×`, v.detail);
}
