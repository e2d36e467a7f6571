// Every payload of the evidence corpus (test/fidelity/<service>/index.json) against the bundled
// specs: accepted payloads must validate, rejected ones must still be rejected (so that the index
// never claims a rejection the specs no longer make), and each entry must cite its source.
// Objects are validated closed: a field the spec does not declare counts as a problem, so the
// corpus also shows where the specs are incomplete, not only where they are too strict.
import { describe, expect, it } from "vitest";
import { loadCorpus, payloadFiles, type Payload } from "./corpus.js";
import { SpecValidator, type Service, type Verdict } from "./schema-validator.js";

const SERVICES: Service[] = ["vbs", "cbr"];
const validators = Object.fromEntries(SERVICES.map((s) => [s, new SpecValidator(s, { closed: true })])) as Record<Service, SpecValidator>;
const corpus = SERVICES.flatMap((s) => loadCorpus(s));

function check(entry: Payload): Verdict {
  const validator = validators[entry.service];
  switch (entry.kind) {
    case "request":
      return validator.request(entry.operationId, entry.payload);
    case "response":
      return validator.response(entry.operationId, entry.status ?? 0, entry.payload);
    case "query":
      return validator.query(entry.operationId, entry.payload as Record<string, string | string[]>);
  }
}

describe("closed validation", () => {
  it("reports a field the spec does not declare, which open validation lets through", () => {
    const open = new SpecValidator("cbr");
    const body = {
      vault: {
        name: "v",
        resources: [],
        billing: { consistent_level: "crash_consistent", object_type: "server", protect_type: "backup", size: 40 },
      },
    };
    expect(open.request("createVault", body).problems).toEqual([]);
    expect(validators.cbr.request("createVault", body).problems).toEqual([]);
    const extra = { vault: { ...body.vault, colour: "blue" } };
    expect(open.request("createVault", extra).valid).toBe(true);
    expect(validators.cbr.request("createVault", extra).problems.join("\n")).toMatch(/\/vault .*unevaluated/);
  });
});

describe("the evidence corpus", () => {
  it.each(SERVICES)("%s: every payload file is indexed, and every index entry has its file", (service) => {
    const ids = loadCorpus(service).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      payloadFiles(service)
        .map((f) => f.replace(/\.json$/, ""))
        .sort(),
    ).toEqual([...ids].sort());
  });

  it.each(corpus.map((e) => [`${e.service}/${e.id}`, e] as const))("%s cites its source", (_, entry) => {
    expect(entry.payload, "payload file").toBeDefined();
    expect(validators[entry.service].hasOperation(entry.operationId), `operationId ${entry.operationId}`).toBe(true);
    expect(["request", "response", "query"]).toContain(entry.kind);
    if (entry.kind === "response") expect(entry.status).toBeTypeOf("number");
    const { source } = entry;
    expect(source.project).toMatch(/\S/);
    if (source.kind === "recorded") {
      expect(source.recorded).toMatch(/\S{10,}/);
    } else {
      expect(source.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(source.path).toMatch(/\S/);
      expect(source.lines).toMatch(/^\d+(-\d+)?$/);
      expect(source.license).toMatch(/\S/);
    }
    expect(entry.extraction).toMatch(/\S/);
    expect(["accepted", "rejected"]).toContain(entry.verdict);
    if (entry.verdict === "rejected") expect(entry.reason ?? "").toMatch(/\S{10,}/);
  });

  it.each(corpus.map((e) => [`${e.service}/${e.id}`, e] as const))("%s: the specs agree with its verdict", (_, entry) => {
    const verdict = check(entry);
    if (entry.verdict === "accepted") expect(verdict.problems).toEqual([]);
    else expect(verdict.valid, "a payload marked rejected now validates: mark it accepted").toBe(false);
  });

  it("is large, independent and mostly accepted", () => {
    const projects = new Set(corpus.map((e) => e.source.project));
    const accepted = corpus.filter((e) => e.verdict === "accepted").length;
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(projects.size).toBeGreaterThanOrEqual(4);
    expect(accepted / corpus.length).toBeGreaterThanOrEqual(0.95);
  });
});
