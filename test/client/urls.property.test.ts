// Property: path and query values of any Unicode (weighted towards `.`, `..`, `/`, `%`, `?`,
// `#`, `\\`) reach the wire as exactly the URL intended: every value stays inside its own path
// segment or query value and decodes back to itself; no dot segment, separator or escape gets
// through. 10,000 runs each.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROJECT_ID } from "../support/loopback.js";
import { clientAnswering, ORIGIN, pathRef, queryRef, urlChar } from "../support/properties.js";

const RUNS = 10_000;

const anyValue = fc.oneof(
  fc.string({ unit: urlChar, maxLength: 12 }),
  fc.constantFrom("", ".", "..", "...", "./", "../..", "%2e%2e", ".%2E"),
);

function recordingClient() {
  const sent: string[] = [];
  const client = clientAnswering(async (request) => {
    sent.push(request.url);
    return new Response("{}", { status: 200, headers: { "Content-Type": "application/json" } });
  });
  return { client, sent };
}

const refused = (v: string) => v === "" || v === "." || v === "..";

describe("URLs built from any Unicode", () => {
  it(`path values stay in their segment and decode to themselves (${RUNS.toLocaleString("en")} runs)`, async () => {
    const { client, sent } = recordingClient();
    await fc.assert(
      fc.asyncProperty(anyValue, anyValue, async (backupId, memberId) => {
        sent.length = 0;
        const call = client.GET("/v3/{project_id}/backups/{backup_id}/members/{member_id}", {
          params: { path: { backup_id: backupId, member_id: memberId } },
        });
        if (refused(backupId) || refused(memberId)) {
          // Empty values and dot segments would address another resource: refused, nothing sent.
          await expect(call).rejects.toThrow(TypeError);
          expect(sent).toEqual([]);
          return;
        }
        await call;
        expect(sent).toHaveLength(1);
        const url = sent[0]!;
        expect(url).toBe(`${ORIGIN}/v3/${PROJECT_ID}/backups/${pathRef(backupId)}/members/${pathRef(memberId)}`);
        const parsed = new URL(url);
        expect(parsed.search).toBe("");
        expect(parsed.hash).toBe("");
        const segments = parsed.pathname.split("/");
        expect(segments).toHaveLength(7); // "", v3, project, backups, backup id, members, member id
        expect(decodeURIComponent(segments[4]!)).toBe(backupId);
        expect(segments[5]).toBe("members");
        expect(decodeURIComponent(segments[6]!)).toBe(memberId);
      }),
      { numRuns: RUNS },
    );
  });

  it(`query values are encoded exactly and read back as themselves (${RUNS.toLocaleString("en")} runs)`, async () => {
    const { client, sent } = recordingClient();
    await fc.assert(
      fc.asyncProperty(anyValue, anyValue, async (name, vaultId) => {
        sent.length = 0;
        await client.GET("/v3/{project_id}/backups", { params: { query: { name, vault_id: vaultId } } });
        expect(sent).toHaveLength(1);
        const url = sent[0]!;
        expect(url).toBe(`${ORIGIN}/v3/${PROJECT_ID}/backups?name=${queryRef(name)}&vault_id=${queryRef(vaultId)}`);
        const parsed = new URL(url);
        expect(parsed.pathname).toBe(`/v3/${PROJECT_ID}/backups`);
        expect(parsed.hash).toBe("");
        expect([...parsed.searchParams]).toEqual([
          ["name", name],
          ["vault_id", vaultId],
        ]);
      }),
      { numRuns: RUNS },
    );
  });
});
