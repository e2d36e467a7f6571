// Figure (a): a full client call (createCbrClient + staticTokenAuth, the default retry policy and
// timeout, the error handling that turns failures into OtcApiError, throwOnError on) against plain
// fetch + json() on the same URL, sequential GETs to a loopback server in another process.
// Variants take turns going first in rounds so that drift of a noisy machine hits all alike; the
// figure is the median of the per-round ratios. The client process's CPU time per call is
// reported too (the server's is not counted). The client is also compared with openapi-fetch
// alone (createClient with the token as a default header, nothing else), run in the same rounds,
// and, for reference, the client without timers (timeoutMs and attemptTimeoutMs: Infinity), which shows
// what the AbortSignal of an attempt's timeout costs.
import createClient from "openapi-fetch";
import { distUrl, fmt, inRounds, median, spread, startServer, timeSequential } from "./lib.mjs";
import { BACKUP_ID, PROJECT } from "./requests.mjs";

/** The client against plain fetch, and its own additions (auth, retry, timeout, errors, events, by-name setup) against bare openapi-fetch. */
export const TARGET = 1.15;
export const TARGET_OVER_OPENAPI_FETCH = 1.03;

export async function measure({ rounds = 8, perRound = 2_000, warmup = 1_000, log = () => {} } = {}) {
  const { createCbrClient, staticTokenAuth } = await import(distUrl("src/index.js"));
  const server = await startServer();
  try {
    const [project, backupId] = [PROJECT, BACKUP_ID];
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
      const { data, error } = await bare.GET("/v3/{project_id}/backups/{backup_id}", {
        params: { path: { project_id: project, backup_id: backupId } },
      });
      if (error) throw new Error("openapi-fetch: error");
      return data;
    };

    // Without timers: no per-attempt timeout and no call budget, so no AbortSignal goes to fetch.
    const cbrNoTimeout = createCbrClient({
      endpoint: server.origin,
      projectId: project,
      auth: staticTokenAuth(token),
      throwOnError: true,
      timeoutMs: Infinity,
      attemptTimeoutMs: Infinity,
    });
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

    const variants = { plain, client, raw, noTimeout };
    const names = Object.keys(variants);
    const runs = await inRounds(
      Object.fromEntries(names.map((name) => [name, () => () => timeSequential(variants[name], perRound)])),
      rounds,
      (round, so) => {
        const us = (name) => (so[name].at(-1).ms * 1000) / perRound;
        log(
          `  round ${round + 1}: plain ${fmt(us("plain"), 1)} µs, client ${fmt(us("client"), 1)} µs, ratio ${fmt(us("client") / us("plain"), 3)} (openapi-fetch alone ${fmt(us("raw"), 1)} µs, client without timers ${fmt(us("noTimeout"), 1)} µs)`,
        );
      },
    );
    const perCall = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => (run.ms * 1000) / perRound)]));
    const cpuPerCall = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => (run.cpuMs * 1000) / perRound)]));
    const against = (name) => perCall[name].map((us, round) => us / perCall.plain[round]);
    const [ratios, rawRatios, noTimeoutRatios] = [against("client"), against("raw"), against("noTimeout")];
    const ratio = median(ratios);
    const overRaw = perCall.client.map((us, round) => us / perCall.raw[round]);
    const overRawRatio = median(overRaw);
    return {
      values: [
        { name: "vs plain fetch", value: ratio, pass: ratio <= TARGET, target: TARGET },
        {
          name: "vs openapi-fetch alone",
          value: overRawRatio,
          pass: overRawRatio <= TARGET_OVER_OPENAPI_FETCH,
          target: TARGET_OVER_OPENAPI_FETCH,
        },
      ],
      detail: {
        overRawSpread: spread(overRaw),
        rounds,
        perRound,
        ratios,
        spread: spread(ratios),
        plainCpuUs: median(cpuPerCall.plain),
        clientCpuUs: median(cpuPerCall.client),
        plainUs: median(perCall.plain),
        clientUs: median(perCall.client),
        rawUs: median(perCall.raw),
        rawRatio: median(rawRatios),
        noTimeoutUs: median(perCall.noTimeout),
        noTimeoutRatio: median(noTimeoutRatios),
        noTimeoutOverRaw: median(perCall.noTimeout.map((us, round) => us / perCall.raw[round])),
      },
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  for (const v of r.values) console.log(`(a) ${v.name}: ${fmt(v.value, 3)}×`);
  console.log(
    `plain ${fmt(r.detail.plainUs, 1)} µs, client ${fmt(r.detail.clientUs, 1)} µs, openapi-fetch alone ${fmt(r.detail.rawUs, 1)} µs`,
  );
}
