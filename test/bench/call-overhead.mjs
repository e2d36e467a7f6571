// Figure (a): a full client call (createCbrClient + staticTokenAuth, the default retry policy and
// timeout, the error handling that turns failures into OtcApiError, throwOnError on) against plain
// fetch + json() on the same URL, sequential GETs to a loopback server in another process.
// Variants alternate in rounds so that drift of a noisy machine hits both alike; the figure is
// the median of the per-round ratios. For reference, two more variants run in the same rounds:
// openapi-fetch alone (createClient with the token as a default header, nothing else), and the
// client without its per-attempt timeout (timeoutMs: 0), which shows what the timeout's
// AbortSignal costs.
import createClient from "openapi-fetch";
import { distUrl, fmt, median, startServer, timeSequential } from "./lib.mjs";

export const TARGET = 1.1;

export async function measure({ rounds = 10, perRound = 2_000, warmup = 1_000, log = () => {} } = {}) {
  const { createCbrClient, staticTokenAuth } = await import(distUrl("src/index.js"));
  const server = await startServer();
  try {
    const project = "0123456789abcdef0123456789abcdef";
    const backupId = "6df2b54c-dd62-4059-a07c-1b8f24f2725d";
    const token = "MIIbenchTOKEN-not-a-real-token";
    const url = `${server.origin}/v3/${project}/backups/${backupId}`;

    const plain = async () => {
      const response = await fetch(url, { headers: { "X-Auth-Token": token } });
      if (!response.ok) throw new Error(`plain fetch: HTTP ${response.status}`);
      return response.json();
    };
    const cbr = createCbrClient({ endpoint: server.origin, projectId: project, auth: staticTokenAuth(token), throwOnError: true });
    const client = async () => {
      const { data } = await cbr.GET("/v3/{project_id}/backups/{backup_id}", { params: { path: { backup_id: backupId } } });
      return data;
    };

    const bare = createClient({ baseUrl: server.origin, headers: { "X-Auth-Token": token } });
    const raw = async () => {
      const { data, error } = await bare.GET("/v3/{project_id}/backups/{backup_id}", { params: { path: { project_id: project, backup_id: backupId } } });
      if (error) throw new Error("openapi-fetch: error");
      return data;
    };

    const cbrNoTimeout = createCbrClient({ endpoint: server.origin, projectId: project, auth: staticTokenAuth(token), throwOnError: true, timeoutMs: 0 });
    const noTimeout = async () => {
      const { data } = await cbrNoTimeout.GET("/v3/{project_id}/backups/{backup_id}", { params: { path: { backup_id: backupId } } });
      return data;
    };

    // Same answer through both, then warm both up (JIT, sockets).
    const [a, b] = [await plain(), await client()];
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("client and plain fetch read different bodies");
    await timeSequential(plain, warmup);
    await timeSequential(client, warmup);
    await timeSequential(raw, warmup);
    await timeSequential(noTimeout, warmup);

    const ratios = [];
    const rawRatios = [];
    const noTimeoutRatios = [];
    const perCall = { plain: [], client: [], raw: [], noTimeout: [] };
    const variants = { plain, client, raw, noTimeout };
    for (let round = 0; round < rounds; round++) {
      // Alternate which variant goes first.
      const order = round % 2 === 0 ? ["plain", "client", "raw", "noTimeout"] : ["noTimeout", "raw", "client", "plain"];
      const ms = {};
      for (const name of order) ms[name] = await timeSequential(variants[name], perRound);
      ratios.push(ms.client / ms.plain);
      rawRatios.push(ms.raw / ms.plain);
      noTimeoutRatios.push(ms.noTimeout / ms.plain);
      for (const name of order) perCall[name].push((ms[name] * 1000) / perRound);
      log(`  round ${round + 1}: plain ${fmt(perCall.plain.at(-1), 1)} µs, client ${fmt(perCall.client.at(-1), 1)} µs, ratio ${fmt(ratios.at(-1), 3)} (openapi-fetch alone ${fmt(perCall.raw.at(-1), 1)} µs, client without timeout ${fmt(perCall.noTimeout.at(-1), 1)} µs)`);
    }
    const ratio = median(ratios);
    return {
      value: ratio,
      pass: ratio <= TARGET,
      detail: {
        rounds,
        perRound,
        ratios,
        plainUs: median(perCall.plain),
        clientUs: median(perCall.client),
        rawUs: median(perCall.raw),
        rawRatio: median(rawRatios),
        noTimeoutUs: median(perCall.noTimeout),
        noTimeoutRatio: median(noTimeoutRatios),
      },
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  console.log(`(a) client/plain = ${fmt(r.value, 3)}× (plain ${fmt(r.detail.plainUs, 1)} µs, client ${fmt(r.detail.clientUs, 1)} µs)`);
}
