// Figure (b): the signer alone, this package's against the signer of Huawei's official Node SDK
// (@huaweicloud/huaweicloud-sdk-core AKSKSigner, node:crypto), on the same prepared requests
// (requests.mjs): a GET with a query and a POST with 1 kB of JSON, each its own figure. Both must
// produce the same Authorization header first. The figure: signatures per second, ours / theirs,
// one after another on one thread, median of rounds in which the variants take turns going first.
// Ours is what akskAuth runs: a signer prepared once per secret (createSigner) with the
// platform's hashing, node:crypto on Node. For reference, in the same rounds: the Web Crypto
// implementation (what browsers, Deno and Bun run), one at a time and with 64 signatures in
// flight, with the CPU it used (Web Crypto works on libuv's thread pool, so more than one core).
import { createRequire } from "node:module";
import { distUrl, fmt, inRounds, median, spread } from "./lib.mjs";
import { AK, SK, signingCases } from "./requests.mjs";

export const TARGET = 1.5;
const IN_FLIGHT = 64;

/** The signers of the build measured: the platform's, and the Web Crypto one. */
async function loadSigners() {
  const signer = await import(distUrl("src/auth/signer.js"));
  if (signer.createSigner) {
    const { signingCrypto: webCrypto } = await import(distUrl("src/auth/crypto-web.js"));
    return { platform: signer.createSigner(SK), web: signer.createSigner(SK, webCrypto) };
  }
  // A build from before createSigner: Web Crypto only, the key imported once (as akskAuth did).
  const { importHmacKey } = await import(distUrl("src/auth/crypto.js"));
  const key = await importHmacKey(SK);
  const web = (input, accessKey) => signer.sign(input, accessKey, key);
  return { platform: web, web };
}

export async function measure({ rounds = 8, log = () => {} } = {}) {
  const require = createRequire(import.meta.url);
  const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js");
  const credential = { getAk: () => AK, getSk: () => SK };
  const signers = await loadSigners();
  const cases = signingCases();

  // Same signature from all on every request, or the comparison means nothing.
  for (const c of cases) {
    const theirs = AKSKSigner.sign(c.theirs, credential).Authorization;
    for (const [name, sign] of Object.entries(signers)) {
      const ours = (await sign(c.ours, AK)).authorization;
      if (theirs !== ours) throw new Error(`signers disagree on ${c.name} (${name}):\n  theirs ${theirs}\n  ours   ${ours}`);
    }
  }

  const loops = {
    theirs: {
      n: 20_000,
      run: (c, n) => {
        for (let i = 0; i < n; i++) AKSKSigner.sign(c.theirs, credential);
      },
    },
    ours: {
      n: 20_000,
      run: async (c, n) => {
        for (let i = 0; i < n; i++) {
          const signature = signers.platform(c.ours, AK);
          if (signature instanceof Promise) await signature; // only where the hashing is asynchronous
        }
      },
    },
    web: {
      n: 2_000,
      run: async (c, n) => {
        for (let i = 0; i < n; i++) await signers.web(c.ours, AK);
      },
    },
    [`web${IN_FLIGHT}`]: {
      n: 4_096,
      run: async (c, n) => {
        for (let i = 0; i < n; i += IN_FLIGHT) await Promise.all(Array.from({ length: IN_FLIGHT }, () => signers.web(c.ours, AK)));
      },
    },
  };
  const names = Object.keys(loops);

  const results = [];
  for (const c of cases) {
    for (const name of names) await loops[name].run(c, loops[name].n / 4); // warm up
    const variants = Object.fromEntries(names.map((name) => [name, () => () => loops[name].run(c, loops[name].n)]));
    const perSecOf = (name, run) => (loops[name].n / run.ms) * 1000;
    const runs = await inRounds(variants, rounds, (round, so) => {
      log(`  ${c.name} round ${round + 1}: ${names.map((name) => `${name} ${fmt(perSecOf(name, so[name].at(-1)), 0)}/s`).join(", ")}`);
    });
    const perSec = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => perSecOf(name, run))]));
    const cores = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => run.cpuMs / run.ms)]));
    const ratios = perSec.ours.map((ours, round) => ours / perSec.theirs[round]);
    const value = median(ratios);
    results.push({
      name: c.name,
      value,
      pass: value >= TARGET,
      detail: {
        bodyBytes: c.bodyBytes,
        ratios,
        spread: spread(ratios),
        perSec: Object.fromEntries(names.map((name) => [name, median(perSec[name])])),
        cores: Object.fromEntries(names.map((name) => [name, median(cores[name])])),
      },
    });
  }
  return { values: results, detail: { rounds, inFlight: IN_FLIGHT } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  for (const v of r.values) console.log(`(b) ${v.name}: ours/theirs = ${fmt(v.value, 3)}×`, v.detail);
}
