// Figure (c): paginate over 10,000 items in 100 offset pages of 100, each page answered after
// 20 ms (by the loopback server in its own process), with concurrency 8 against one page at a
// time. The figure: concurrent / sequential wall time, median of interleaved rounds.
import { distUrl, fmt, median, now, startServer } from "./lib.mjs";

export const TARGET = 0.25;
const ITEMS = 10_000;
const PAGE = 100;

export async function measure({ rounds = 5, log = () => {} } = {}) {
  const { createCbrClient, staticTokenAuth, paginate } = await import(distUrl("src/index.js"));
  const server = await startServer();
  try {
    const cbr = createCbrClient({ endpoint: server.origin, projectId: "0123456789abcdef0123456789abcdef", auth: staticTokenAuth("MIIbenchTOKEN") });
    const run = async (concurrency) => {
      const start = now();
      let n = 0;
      for await (const item of paginate(cbr, "/v3/{project_id}/backups", undefined, { pageSize: PAGE, concurrency })) {
        if (item.id !== `b-${n}`) throw new Error(`paginate: item ${n} is ${item.id} (out of order)`);
        n++;
      }
      if (n !== ITEMS) throw new Error(`paginate: ${n} items instead of ${ITEMS}`);
      return now() - start;
    };
    await run(8);
    await run(1);
    const ratios = [];
    const times = { sequential: [], concurrent: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [1, 8] : [8, 1];
      const ms = {};
      for (const c of order) ms[c] = await run(c);
      times.sequential.push(ms[1]);
      times.concurrent.push(ms[8]);
      ratios.push(ms[8] / ms[1]);
      log(`  round ${round + 1}: sequential ${fmt(ms[1], 0)} ms, concurrency 8 ${fmt(ms[8], 0)} ms, ratio ${fmt(ratios.at(-1), 3)}`);
    }
    const ratio = median(ratios);
    return { value: ratio, pass: ratio <= TARGET, detail: { sequentialMs: median(times.sequential), concurrentMs: median(times.concurrent) } };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  console.log(`(c) concurrent/sequential = ${fmt(r.value, 3)}×`, r.detail);
}
