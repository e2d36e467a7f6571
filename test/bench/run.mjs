#!/usr/bin/env node
// `npm run bench` (after `npm run build`): the figures of test/bench/README.md, each a ratio or
// size measured in this process against its reference (GET and POST as figures of their own),
// printed with its target and written to test/bench/RESULTS.md with the date, the machine and
// its load. Never part of `npm test`.
//
//   node test/bench/run.mjs                 all figures, rewrite RESULTS.md
//   node test/bench/run.mjs --only a,c      some of them (RESULTS.md is not rewritten)
//   node test/bench/run.mjs --no-write      all, without rewriting RESULTS.md
//   OTC_BENCH_DIST=path/to/dist             measure another build of the package
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join, relative } from "node:path";
import { distDir, fmt, root } from "./lib.mjs";
import * as callOverhead from "./call-overhead.mjs";
import * as signing from "./signing.mjs";
import * as authenticate from "./authenticate.mjs";
import * as signedCall from "./signed-call.mjs";
import * as senders from "./senders.mjs";
import * as paginate from "./paginate.mjs";
import * as size from "./size.mjs";
import * as generate from "./generate.mjs";
import * as typecheck from "./typecheck.mjs";
import * as validate from "./validate.mjs";

const args = process.argv.slice(2);
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1].split(",")) : undefined;
const write = only === undefined && !args.includes("--no-write");

if (!existsSync(join(distDir, "src", "index.js"))) {
  console.error(`No build at ${relative(root, distDir) || "."}: run \`npm run build\` first (npm run bench does).`);
  process.exit(1);
}

const kb = (bytes) => `${fmt(bytes / 1000, 1)} kB`;
const log = (line) => console.log(line);

const perSec = (x) => `${Math.round(x).toLocaleString("en")}/s`;
const us = (x) => `${fmt(x, 1)} µs`;
const ratio = (x) => `${fmt(x, 3)}×`;
/** The spread of a figure's per-round ratios, the variability measured in this run. */
const rounds = (d) => `round ratios ${d.spread}`;

const figures = [
  {
    id: "a",
    title: "Client call (static token), sequential loopback GETs",
    target: `≤ ${fmt(callOverhead.TARGET)}×`,
    run: () => callOverhead.measure({ log }),
    show: (r) => `${fmt(r.value, 3)}×`,
    note: (r) =>
      `plain fetch + json() ${us(r.detail.plainUs)}/call (CPU ${us(r.detail.plainCpuUs)}), client ${us(r.detail.clientUs)}/call (CPU ${us(r.detail.clientCpuUs)}), ` +
      `openapi-fetch alone (no auth, retry, timeout or error handling) ${us(r.detail.rawUs)}/call ` +
      `(median of ${r.detail.rounds} rounds × ${r.detail.perRound.toLocaleString("en")} calls each; client / plain fetch ${rounds(r.detail)}, client / openapi-fetch ${r.detail.overRawSpread}); ` +
      `for reference in the same rounds: openapi-fetch alone ${ratio(r.detail.rawRatio)} plain fetch, ` +
      `the client without timers (timeoutMs and attemptTimeoutMs: Infinity, so no AbortSignal) ${ratio(r.detail.noTimeoutRatio)} plain fetch, ${ratio(r.detail.noTimeoutOverRaw)} openapi-fetch alone`,
  },
  {
    id: "b",
    title: "AK/SK signer alone vs huaweicloud-sdk-core AKSKSigner, same prepared request, throughput",
    target: `≥ ${fmt(signing.TARGET, 1)}×`,
    run: () => signing.measure({ log }),
    show: (r) => `${fmt(r.value, 3)}×`,
    note: (r) =>
      `${r.values
        .map(
          ({ name, detail: d }) =>
            `${name}${d.bodyBytes ? ` (${d.bodyBytes.toLocaleString("en")}-byte JSON body)` : " (with a query)"}: theirs ${perSec(d.perSec.theirs)}, ours ${perSec(d.perSec.ours)} (${rounds(d)}); ` +
            `for reference, the Web Crypto implementation (browsers, Deno, Bun) on Node: ${perSec(d.perSec.web)} one at a time, ` +
            `${perSec(d.perSec[`web${r.detail.inFlight}`])} with ${r.detail.inFlight} in flight using ${fmt(d.cores[`web${r.detail.inFlight}`], 2)} cores (CPU time / wall time)`,
        )
        .join("; ")}; same Authorization header from all signers on every request; ${r.detail.rounds} rounds`,
  },
  {
    id: "c",
    title:
      "paginate 10,000 items / 100 offset pages: per item vs a hand-written loop (pages answered at once); concurrency 8 vs the physical limit (20 ms latency; 13 × (20 ms + one page's exchange))",
    target: `≤ ${fmt(paginate.TARGET_PER_ITEM)}×`,
    run: () => paginate.measure({ log }),
    show: (r) => `${fmt(r.value, 3)}×`,
    note: (r) =>
      `per item with pages answered at once, paginate ${fmt(r.detail.perItemPaginateUs, 1)} µs against a hand-written offset loop over client.GET ` +
      `${fmt(r.detail.perItemLoopUs, 1)} µs (${r.detail.perItemRounds} rounds, ratios ${r.detail.perItemSpread}); concurrency 8 ${fmt(r.detail.concurrentMs, 0)} ms against the physical limit ` +
      `${fmt(r.detail.physicalLimitMs, 0)} ms (13 × (20 ms + one page's exchange of ${fmt(r.detail.exchangeMs, 2)} ms); round ratios ${r.detail.concurrentSpread}; the server's actual wait per page ${fmt(r.detail.serverWaitMs, 2)} ms) and ${fmt(r.detail.nominalRatio, 3)}× the nominal 13 × 20 ms = ${r.detail.nominalLimitMs} ms; ` +
      `CPU of this process ${fmt(r.detail.concurrentCores, 2)} cores (CPU time / wall time); in the same rounds a hand-written pool of 8 workers over client.GET ${fmt(r.detail.handPoolMs, 0)} ms (${fmt(r.detail.handPoolRatio, 3)}× the limit, ${fmt(r.detail.handPoolCores, 2)} cores; ` +
      `paginate / pool ${fmt(r.detail.concurrentMs / r.detail.handPoolMs, 3)}×), one page at a time ${fmt(r.detail.sequentialMs, 0)} ms (medians of ${r.detail.rounds} rounds, the order rotated)`,
  },
  {
    id: "d",
    title: "Bundle from the package root, esbuild --bundle --minify (browser, ESM) + gzip -9",
    target: "",
    run: () => size.measure(),
    show: (r) => kb(r.value),
    showTarget: (v) => `≤ ${kb(v.target)}`,
    note: (r) =>
      r.values
        .map(
          ({ name, detail: d }) =>
            `${name}${d.what ? ` (${d.what})` : ""} ${kb(d.min)} min / ${kb(d.gzip)} gz, largest inputs (minified): ${d.largest.map((i) => `${i.file} ${kb(i.bytes)}`).join(", ")}`,
        )
        .join("; ") +
      `; openapi-fetch alone ${kb(r.detail.openapiFetch.gzip)} gz; otc-backup-api/advanced whole ${kb(r.detail.advanced.gzip)} gz; kB = 1,000 bytes`,
  },
  {
    id: "e",
    title: "npm run generate, wall time",
    target: "(none)",
    run: () => generate.measure({ log }),
    show: (r) => `${fmt(r.value, 2)} s`,
    note: (r) =>
      `median of ${r.detail.runsS.length} runs (${r.detail.runsS.map((s) => fmt(s, 2)).join(", ")} s), output to a temporary directory`,
  },
  {
    id: "f",
    title:
      "Type-check time of a consumer (one GET, one paginate, one waitForBackup; or one GET by name) vs the same GET through bare openapi-fetch",
    target: `≤ ${fmt(typecheck.TARGET, 1)}×`,
    run: () => typecheck.measure({ log }),
    show: (r) => `${fmt(r.value, 2)}×`,
    note: (r) =>
      `check time (the TypeScript compiler API, each run a fresh process), medians of ${r.detail.runs} runs: bare openapi-fetch GET ${fmt(r.detail.bare.checkS * 1000, 0)} ms / ` +
      `${r.detail.bare.instantiations.toLocaleString("en")} instantiations; client GET ${fmt(r.detail.get.checkS * 1000, 0)} ms / ${r.detail.get.instantiations.toLocaleString("en")}; ` +
      `GET + paginate + waitForBackup ${fmt(r.detail.all.checkS * 1000, 0)} ms / ${r.detail.all.instantiations.toLocaleString("en")}; ` +
      `the same GET by name (cbr.showVault) ${fmt(r.detail.byName.checkS * 1000, 0)} ms / ${r.detail.byName.instantiations.toLocaleString("en")}`,
  },
  {
    id: "g",
    title: "akskAuth().authenticate(request) vs huaweicloud-sdk-core AKSKSigner, throughput",
    target: "(none)",
    run: () => authenticate.measure({ log }),
    show: (r) => `${fmt(r.value, 3)}×`,
    note: (r) =>
      `${r.values
        .map(
          ({ name, detail: d }) =>
            `${name}: theirs ${perSec(d.perSec.theirs)}, ours ${perSec(d.perSec.ours)} (${rounds(d)})` +
            (d.perSec.oursWithBytes
              ? `; with the body's bytes passed as the transport does, ${perSec(d.perSec.oursWithBytes)} (${ratio(d.perSec.oursWithBytes / d.perSec.theirs)})`
              : ""),
        )
        .join("; ")}; ${r.detail.rounds} rounds × ${r.detail.perRound.toLocaleString("en")} requests`,
  },
  {
    id: "h",
    title: "Signed call end to end (client + akskAuth) vs huaweicloud-sdk-core HcClient, loopback, time per call",
    target: `≤ ${fmt(signedCall.TARGET)}×`,
    run: () => signedCall.measure({ log }),
    show: (r) => `${fmt(r.value, 3)}×`,
    note: (r) =>
      `${r.values
        .map(
          ({ name, detail: d }) =>
            `${name === "GET" ? "GET one backup" : `POST createVault, ${r.detail.bodyBytes.toLocaleString("en")}-byte JSON body`}: theirs ${us(d.theirsUs)}/call (CPU ${us(d.theirsCpuUs)}), ` +
            `ours ${us(d.oursUs)}/call (CPU ${us(d.oursCpuUs)}, ${ratio(d.cpuRatio)} theirs) (${rounds(d)}); plain fetch, unsigned, ${us(d.fetchUs)}/call (${ratio(d.fetchRatio)} theirs)`,
        )
        .join("; ")}; ${r.detail.rounds} rounds × ${r.detail.perRound.toLocaleString("en")} sequential calls per variant`,
  },
  {
    id: "i",
    title: "Response validation (otc-backup-api/validate) vs a loopback call",
    target: `≤ ${fmt(validate.TARGET)}×`,
    run: () => validate.measure({ log }),
    show: (r) => `${fmt(r.value, 3)}×`,
    note: validate.describeResult,
  },
  {
    id: "j",
    title: "The node sender alone (node:http, keep-alive agent) vs plain fetch, loopback, time per call",
    target: "(none)",
    run: () => senders.measure({ log }),
    show: (r) => `${fmt(r.value, 3)}×`,
    note: (r) =>
      r.values
        .map(
          ({ name, detail: d }) =>
            `${name === "GET" ? "GET one backup" : `POST createVault, ${r.detail.bodyBytes.toLocaleString("en")}-byte JSON body`}: ` +
            `node sender ${us(d.us[`node${name === "GET" ? "Get" : "Post"}`])}/call (CPU ${us(d.cpuUs[`node${name === "GET" ? "Get" : "Post"}`])}, ${ratio(d.cpuRatio)} plain fetch's) (${rounds(d)}), ` +
            `with an AbortSignal per call ${ratio(d.signalOverFetch)} plain fetch, with a timeoutMs (its own timer, what the client gives it) ${ratio(d.timerOverFetch)}; node sender ${ratio(d.nodeOverTheirs)} HcClient's whole signed call; ` +
            `fetch sender ${ratio(d.fetchSenderOverFetch)} plain fetch (round ratios ${d.fetchSenderSpread}; CPU ${ratio(d.fetchSenderCpuRatio)})`,
        )
        .join("; ") +
      `; ${r.detail.rounds} rounds × ${r.detail.perRound.toLocaleString("en")} sequential calls per variant, each answer read and parsed as JSON`,
  },
];

const results = [];
const loadAtStart = loadavg()[0];
for (const figure of figures) {
  if (only && !only.has(figure.id)) continue;
  console.log(`(${figure.id}) ${figure.title}`);
  const result = await figure.run();
  results.push({ figure, result });
  for (const row of rows(figure, result)) console.log(`    → ${row.label} ${row.measured} (target ${row.target}) ${row.verdict}`);
  console.log(`    ${figure.note(result)}\n`);
}
const loadAtEnd = loadavg()[0];

/** A figure's lines in the summary: one, or one per request (GET, POST). */
function rows(figure, result) {
  const values = result.values ?? [{ value: result.value, pass: result.pass }];
  return values.map((v) => ({
    label: `(${figure.id})${v.name ? ` ${v.name}` : ""}`,
    title: `${figure.title}${v.name ? `: ${v.name}` : ""}`,
    measured: figure.show(v),
    target: v.target === undefined ? figure.target : figure.showTarget ? figure.showTarget(v) : `≤ ${fmt(v.target)}×`,
    verdict: v.pass === undefined ? "-" : v.pass ? "PASS" : "MISS",
  }));
}

console.log(`${"figure".padEnd(28)} measured      target     result`);
for (const { figure, result } of results) {
  for (const row of rows(figure, result))
    console.log(`${row.label.padEnd(28)} ${row.measured.padEnd(13)} ${row.target.padEnd(10)} ${row.verdict}`);
}

if (write) {
  const machine = machineFacts();
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (test/bench/run.mjs); see test/bench/README.md for what each figure",
    "measures and how. Every figure is a ratio or size measured in one process, medians of rounds",
    "in which the variants take turns going first; the spread of the per-round ratios is in the",
    "details.",
    "",
    `- Date: ${date}`,
    `- Machine: ${machine.cpu}, ${machine.nproc} CPUs (nproc), ${machine.memGiB} GiB memory, shared with other work while measuring: load average (1 min) ${fmt(loadAtStart, 1)} at the start, ${fmt(loadAtEnd, 1)} at the end`,
    `- Node.js ${process.version} (${process.platform}-${process.arch})`,
    `- Commit: ${machine.commit}`,
    "",
    "| | Figure | Measured | Target | Result |",
    "|---|---|---|---|---|",
    ...results.flatMap(({ figure, result }) =>
      rows(figure, result).map((row) => `| ${row.label} | ${row.title} | ${row.measured} | ${row.target} | ${row.verdict} |`),
    ),
    "",
    "## Details",
    "",
    ...results.map(({ figure, result }) => `- (${figure.id}) ${figure.note(result)}.`),
    "",
  ];
  writeFileSync(join(root, "test", "bench", "RESULTS.md"), lines.join("\n"));
  console.log(`\nwrote ${relative(process.cwd(), join(root, "test", "bench", "RESULTS.md"))}`);
}

function machineFacts() {
  const run = (cmd, cmdArgs) => {
    try {
      return execFileSync(cmd, cmdArgs, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return undefined;
    }
  };
  const dirty = run("git", ["status", "--porcelain", "--", "src", "generated"]);
  const head = run("git", ["rev-parse", "--short", "HEAD"]) ?? "unknown";
  return {
    cpu: cpus()[0]?.model?.trim() ?? "unknown CPU",
    nproc: run("nproc", []) ?? String(availableParallelism()),
    memGiB: Math.round(totalmem() / 2 ** 30),
    commit: dirty ? `${head} with uncommitted changes to src/ or generated/` : head,
  };
}
