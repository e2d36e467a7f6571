// What the anonymizer keeps, replaces and removes: the rules a published report relies on.
import { describe, expect, it } from "vitest";
import { Anonymizer, showableValue } from "../../src/check/anonymize.js";

describe("Anonymizer", () => {
  it("replaces IDs by stable stand-ins of the same shape", () => {
    const a = new Anonymizer();
    const out = a.payload({
      id: "4f1c2e7a-9b3d-4c8e-a1f2-6d5e4c3b2a19",
      project_id: "a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2",
      parent: { vault_id: "4f1c2e7a-9b3d-4c8e-a1f2-6d5e4c3b2a19" },
      job_id: "job-20250322-1",
    }) as Record<string, any>;
    expect(out.id).toBe("00000000-0000-4000-8000-000000000001");
    expect(out.parent.vault_id).toBe(out.id);
    expect(out.project_id).toMatch(/^0{31}1$/);
    expect(out.job_id).toBe("id-1");
  });

  it("removes names, text, tags, metadata keys, URLs and addresses; keeps numbers, booleans, timestamps, tokens and codes", () => {
    const out = new Anonymizer().payload({
      name: "payroll-db",
      resource_name: "ecs-payroll",
      description: "ACME payroll",
      tags: [{ key: "owner", value: "alice" }],
      metadata: { "customer-42": "vip" },
      links: [{ rel: "next", href: "https://cbr.eu-de.otc.t-systems.com/v3/x?marker=1" }],
      fixed_ip: "10.1.2.3",
      status: "available",
      spec_code: "vault.backup.server.normal",
      size: 40,
      auto_bind: true,
      created_at: "2025-03-22T01:00:00Z",
      protected_at: "2025-03-22",
      resource_az: "eu-de-01",
      fail_reason: "Disk full on host cn-12",
    });
    expect(out).toEqual({
      name: "name-1",
      resource_name: "name-2",
      description: "text-1",
      tags: [{ key: "tag-key-1", value: "tag-value-1" }],
      metadata: { "tag-key-2": "tag-value-2" },
      links: [{ rel: "next", href: "https://redacted.invalid/1" }],
      fixed_ip: "192.0.2.1",
      status: "available",
      spec_code: "vault.backup.server.normal",
      size: 40,
      auto_bind: true,
      created_at: "2025-03-22T01:00:00Z",
      protected_at: "2025-03-22",
      resource_az: "eu-de-01",
      fail_reason: "text-2",
    });
  });

  it("pointers: array indexes as *, user keys of free-form containers hidden", () => {
    const a = new Anonymizer();
    expect(a.pointer("/vaults/3/resources/0/size")).toBe("/vaults/*/resources/*/size");
    expect(a.pointer("/backup/metadata/customer-42")).toBe("/backup/metadata/*");
    expect(a.pointer("header:x-request-id")).toBe("header:x-request-id");
  });

  it("shows only enumerated values and short status-like tokens, never IDs, names or numbers", () => {
    expect(showableValue("/vaults/0/billing/status", "x-open-enum", "hibernating")).toBe(true);
    expect(showableValue("/vaults/0/status", "type", "ok")).toBe(true);
    expect(showableValue("/vaults/0/name", "type", "payroll")).toBe(false);
    expect(showableValue("/vaults/0/id", "format", "abc")).toBe(false);
    expect(showableValue("/vaults/0/tags/0/value", "enum", "alice")).toBe(false);
    expect(showableValue("/vaults/0/size", "type", 40)).toBe(false);
    expect(showableValue("", "status", 418)).toBe(true);
  });
});
