// Figure (c): paginate over 10,000 items in 100 offset pages of 100, each page answered after
// 20 ms (by the loopback server in its own process), with concurrency 8, against the physical
// limit: with 8 requests at a time, some request slot serves ceil(100 / 8) = 13 pages one after
// the other, each taking at least the server's 20 ms and the page's exchange (the server writing
// it, the transfer, the client reading it: a page answered at once, measured below). The nominal
// 13 × 20 ms is reported beside it, and the server's actual wait per page (one page at a time,
// minus the exchange: Node's timers may fire late on a busy machine, which no pager can help). For
// reference in the same rounds: a hand-written pool of 8 workers calling client.GET. Then the pager's
// own cost per item: paginate against a hand-written offset loop over client.GET, pages answered
// at once. Medians of interleaved rounds.
import { PROJECT } from "./requests.mjs";
import { distUrl, fmt, inRounds, median, rotation, spread, startServer } from "./lib.mjs";

/** concurrency 8 against the physical limit; paginate's cost per item against a hand-written loop. */
export const TARGET = 1.08;
export const TARGET_PER_ITEM = 1.1;
const ITEMS = 10_000;
const PAGE = 100;
const LATENCY_MS = 20;
const CONCURRENCY = 8;
const PAGES = ITEMS / PAGE;
const ROUNDS_OF_PAGES = Math.ceil(PAGES / CONCURRENCY);
const NOMINAL_LIMIT_MS = ROUNDS_OF_PAGES * LATENCY_MS;

export async function measure({ rounds = 5, perItemRounds = 20, log = () => {} } = {}) {
  const { createCbrClient, staticTokenAuth, paginate, unwrap } = await import(distUrl("src/index.js"));
  const server = await startServer();
  try {
    const cbr = createCbrClient({ endpoint: server.origin, projectId: PROJECT, auth: staticTokenAuth("MIIbenchTOKEN") });
    const check = (n, id) => {
      if (id !== `b-${n}`) throw new Error(`paginate: item ${n} is ${id} (out of order)`);
    };
    /** A run of `fn` that must have seen every item, for inRounds (CPU time is this process's; the server runs in its own). */
    const counted = (fn) => () => async () => {
      const n = await fn();
      if (n !== ITEMS) throw new Error(`${n} items instead of ${ITEMS}`);
    };
    const paged = (concurrency, delay) => async () => {
      let n = 0;
      const init = { params: { query: { delay } } };
      for await (const item of paginate(cbr, "/v3/{project_id}/backups", init, { pageSize: PAGE, concurrency })) check(n++, item.id);
      return n;
    };
    const page = (offset, delay) => cbr.GET("/v3/{project_id}/backups", { params: { query: { limit: PAGE, offset, delay } } }).then(unwrap);
    /** What a careful user would write: `workers` loops taking the next offset, results kept in order. */
    const handPool = (workers) => async () => {
      const pages = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < ITEMS) {
            const offset = next;
            next += PAGE;
            pages[offset / PAGE] = (await page(offset, LATENCY_MS)).backups;
          }
        }),
      );
      let n = 0;
      for (const items of pages) for (const item of items) check(n++, item.id);
      return n;
    };
    const handLoop = async () => {
      let n = 0;
      for (let offset = 0; ; offset += PAGE) {
        const { backups, count } = await page(offset, 0);
        for (const item of backups) check(n++, item.id);
        if (backups.length === 0 || offset + backups.length >= count) return n;
      }
    };

    const variants = {
      concurrent: counted(paged(CONCURRENCY, LATENCY_MS)),
      handPool: counted(handPool(CONCURRENCY)),
      sequential: counted(paged(1, LATENCY_MS)),
    };
    const names = Object.keys(variants);
    for (const variant of Object.values(variants)) await variant()(); // warm-up
    const runs = await inRounds(variants, rounds, (round, so) =>
      log(
        `  round ${round + 1}: ${rotation(names, round)
          .map((name) => `${name} ${fmt(so[name].at(-1).ms, 0)} ms`)
          .join(", ")}`,
      ),
    );
    const times = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => run.ms)]));
    const cores = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => run.cpuMs / run.ms)]));
    const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));

    // The cost per item, pages answered at once: a run takes a fifth of a second, so more rounds
    // (pairs in alternating order) are cheap and steady the median.
    const perItemVariants = { paginate: counted(paged(1, 0)), loop: counted(handLoop) };
    for (const variant of Object.values(perItemVariants)) await variant()(); // warm-up
    const perItemRuns = await inRounds(perItemVariants, perItemRounds);
    const perItemTimes = { paginate: perItemRuns.paginate.map((run) => run.ms), loop: perItemRuns.loop.map((run) => run.ms) };
    // The physical limit (see the top of this file).
    const exchangeMs = median(perItemTimes.loop) / PAGES;
    const limitMs = ROUNDS_OF_PAGES * (LATENCY_MS + exchangeMs);
    const concurrentRatios = times.concurrent.map((ms) => ms / limitMs);
    const ratio = median(concurrentRatios);
    const perItem = perItemTimes.paginate.map((ms, round) => ms / perItemTimes.loop[round]);
    const perItemRatio = median(perItem);
    return {
      values: [
        { name: "per item", value: perItemRatio, pass: perItemRatio <= TARGET_PER_ITEM, target: TARGET_PER_ITEM },
        { name: "concurrency 8", value: ratio, pass: ratio <= TARGET, target: TARGET },
      ],
      detail: {
        perItemSpread: spread(perItem),
        physicalLimitMs: limitMs,
        serverWaitMs: median(times.sequential) / PAGES - exchangeMs,
        exchangeMs,
        concurrentSpread: spread(concurrentRatios),
        nominalLimitMs: NOMINAL_LIMIT_MS,
        nominalRatio: med.concurrent / NOMINAL_LIMIT_MS,
        handPoolRatio: med.handPool / limitMs,
        concurrentCores: median(cores.concurrent),
        handPoolCores: median(cores.handPool),
        concurrentMs: med.concurrent,
        handPoolMs: med.handPool,
        sequentialMs: med.sequential,
        perItemPaginateUs: (median(perItemTimes.paginate) / ITEMS) * 1000,
        perItemLoopUs: (median(perItemTimes.loop) / ITEMS) * 1000,
        perItemRounds,
        rounds,
      },
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  for (const v of r.values) console.log(`(c) ${v.name}: ${fmt(v.value, 3)}×`);
  console.log(r.detail);
}
