// Figure (g): `akskAuth(...).authenticate(request)`, what a custom integration runs (a Request in,
// the same Request with X-Sdk-Date, X-Project-Id and Authorization set out), against
// @huaweicloud/huaweicloud-sdk-core's AKSKSigner.sign on the same request (requests.mjs), a GET
// with a query and a POST with 1 kB of JSON, each its own figure. Requests per second, ours /
// theirs, one after another, median of rounds in which the variants take turns going first. The
// Requests are built before each timed loop. Given only the Request, the strategy reads a copy of
// its body; for reference, the POST is also measured with the body's bytes passed along, as the
// client's transport does (`authenticate(request, bytes)`).
import { createRequire } from "node:module";
import { distUrl, fmt, inRounds, median, spread } from "./lib.mjs";
import { AK, PROJECT, SK, signingCases } from "./requests.mjs";

export async function measure({ rounds = 6, perRound = 5_000, log = () => {} } = {}) {
  const require = createRequire(import.meta.url);
  const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js");
  const { akskAuth } = await import(distUrl("src/index.js"));
  const credential = { getAk: () => AK, getSk: () => SK };
  const auth = akskAuth({ accessKey: AK, secretKey: SK, projectId: PROJECT });

  const results = [];
  for (const c of signingCases()) {
    const probe = await auth.authenticate(c.request());
    if (!probe.headers.get("authorization")?.startsWith("SDK-HMAC-SHA256 Access=")) throw new Error(`akskAuth did not sign the ${c.name}`);

    // Each variant prepares its input untimed and returns the timed part.
    const requests = () => Array.from({ length: perRound }, c.request);
    const variants = {
      theirs: () => () => {
        for (let i = 0; i < perRound; i++) AKSKSigner.sign(c.theirs, credential);
      },
      ours:
        (batch = requests()) =>
        async () => {
          for (const request of batch) await auth.authenticate(request);
        },
      ...(c.bytes && {
        oursWithBytes:
          (batch = requests()) =>
          async () => {
            for (const request of batch) await auth.authenticate(request, c.bytes);
          },
      }),
    };
    const names = Object.keys(variants);
    for (const name of names) await variants[name]()(); // warm up

    const runs = await inRounds(variants, rounds, (round, so) => {
      log(
        `  ${c.name} round ${round + 1}: ${names.map((name) => `${name} ${fmt((perRound / so[name].at(-1).ms) * 1000, 0)}/s`).join(", ")}`,
      );
    });
    const perSec = Object.fromEntries(names.map((name) => [name, runs[name].map((run) => (perRound / run.ms) * 1000)]));
    const ratios = perSec.ours.map((ours, round) => ours / perSec.theirs[round]);
    const value = median(ratios);
    results.push({
      name: c.name,
      value,
      pass: undefined,
      detail: {
        bodyBytes: c.bodyBytes,
        ratios,
        spread: spread(ratios),
        perSec: Object.fromEntries(names.map((name) => [name, median(perSec[name])])),
      },
    });
  }
  return { values: results, detail: { rounds, perRound } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measure({ log: console.log });
  for (const v of r.values) console.log(`(g) ${v.name}: ours/theirs = ${fmt(v.value, 3)}×`, v.detail);
}
