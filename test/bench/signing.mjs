// Figure (b): AK/SK signing throughput, this package's signer against the signer of Huawei's
// official Node SDK (@huaweicloud/huaweicloud-sdk-core AKSKSigner, node:crypto), on identical
// requests (method, URL, query, headers, body, X-Sdk-Date). Both must produce the same
// Authorization header first. The figure: requests signed per second by ours / by theirs, one
// request after another on one thread (ours awaited each time), median of interleaved rounds.
// Also reported: ours with 64 signatures in flight (Web Crypto runs on libuv's thread pool).
import { createRequire } from "node:module";
import { distUrl, fmt, median, now } from "./lib.mjs";

export const TARGET = 1.5;

const AK = "QTWAOYTTINDUT2QVKYUC";
const SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
const HOST = "cbr.eu-de.otc.t-systems.com";
const PROJECT = "0123456789abcdef0123456789abcdef";
const DATE = "20240501T030000Z";

/** The requests signed, each described once and given to both signers in their own shape. */
function cases() {
  const body = { backup: { parameters: { auto_trigger: false, incremental: true }, description: "nightly", name: "backup-2024-05-01" } };
  return [
    {
      name: "GET list with query",
      method: "GET",
      path: `/v3/${PROJECT}/backups`,
      query: { limit: "100", offset: "200", vault_id: "3b5816b5-f29c-4172-9d9a-76c719a659ce", sort: "created_at:desc" },
      headers: { "X-Project-Id": PROJECT },
    },
    {
      name: "POST with JSON body",
      method: "POST",
      path: `/v3/${PROJECT}/vaults/3b5816b5-f29c-4172-9d9a-76c719a659ce/backup`,
      query: {},
      headers: { "Content-Type": "application/json", "X-Project-Id": PROJECT },
      body,
    },
  ].map((c) => {
    const search = new URLSearchParams(c.query).toString();
    const ourHeaders = { host: HOST, "x-sdk-date": DATE };
    for (const [k, v] of Object.entries(c.headers)) ourHeaders[k.toLowerCase()] = v;
    return {
      name: c.name,
      theirs: { method: c.method, endpoint: `https://${HOST}${c.path}`, queryParams: c.query, headers: { ...c.headers, "X-Sdk-Date": DATE }, ...(c.body ? { data: c.body } : {}) },
      // Huawei hashes JSON.stringify(data); we hash the bytes we send, which are that string.
      ours: { method: c.method, url: new URL(`https://${HOST}${c.path}${search ? `?${search}` : ""}`), headers: ourHeaders, ...(c.body ? { body: JSON.stringify(c.body) } : {}) },
    };
  });
}

export async function measure({ rounds = 5, perRound = 20_000, log = () => {} } = {}) {
  const require = createRequire(import.meta.url);
  const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js");
  const { signRequest } = await import(distUrl("src/index.js"));
  const crypto = await import(distUrl("src/auth/crypto.js"));
  const credential = { getAk: () => AK, getSk: () => SK };
  // What akskAuth does: prepare the key once per secret (a Web Crypto CryptoKey, or the
  // precomputed HMAC state of the plain-JS implementation, whichever this build has).
  const key = crypto.hmacKey ? crypto.hmacKey(SK) : await crypto.importHmacKey(SK);
  const all = cases();

  // Same signature from both on every request, or the comparison means nothing.
  for (const c of all) {
    const theirs = AKSKSigner.sign(c.theirs, credential).Authorization;
    const ours = (await signRequest(c.ours, AK, key)).authorization;
    if (theirs !== ours) throw new Error(`signers disagree on "${c.name}":\n  theirs ${theirs}\n  ours   ${ours}`);
  }

  const theirsLoop = (n) => {
    const start = now();
    for (let i = 0; i < n; i++) AKSKSigner.sign(all[i % all.length].theirs, credential);
    return now() - start;
  };
  const oursLoop = async (n) => {
    const start = now();
    for (let i = 0; i < n; i++) await signRequest(all[i % all.length].ours, AK, key);
    return now() - start;
  };
  const oursBatched = async (n, inFlight = 64) => {
    const start = now();
    for (let i = 0; i < n; i += inFlight) {
      const batch = [];
      for (let j = 0; j < inFlight; j++) batch.push(signRequest(all[(i + j) % all.length].ours, AK, key));
      await Promise.all(batch);
    }
    return now() - start;
  };

  theirsLoop(5_000);
  await oursLoop(5_000);
  await oursBatched(5_000);
  const ratios = [];
  const rates = { theirs: [], ours: [], oursBatched: [] };
  for (let round = 0; round < rounds; round++) {
    const ms = {};
    const order = round % 2 === 0 ? ["theirs", "ours", "oursBatched"] : ["oursBatched", "ours", "theirs"];
    for (const name of order) ms[name] = name === "theirs" ? theirsLoop(perRound) : name === "ours" ? await oursLoop(perRound) : await oursBatched(perRound);
    for (const name of order) rates[name].push((perRound / ms[name]) * 1000);
    ratios.push(ms.theirs / ms.ours);
    log(`  round ${round + 1}: theirs ${fmt(rates.theirs.at(-1), 0)}/s, ours ${fmt(rates.ours.at(-1), 0)}/s, ours (64 in flight) ${fmt(rates.oursBatched.at(-1), 0)}/s`);
  }
  const ratio = median(ratios);
  return {
    value: ratio,
    pass: ratio >= TARGET,
    detail: {
      requests: all.map((c) => c.name),
      theirsPerSec: median(rates.theirs),
      oursPerSec: median(rates.ours),
      oursBatchedPerSec: median(rates.oursBatched),
      batchedRatio: median(rates.oursBatched) / median(rates.theirs),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  console.log(`(b) ours/theirs = ${fmt(r.value, 3)}×`, r.detail);
}
