// The Markdown the reference pages are rendered from (scripts/docs-markdown.mjs), and the code
// sample languages their menu offers (redocly.yaml): what the browser test sees, checked fast.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { codeSamples } from "../../scripts/code-samples.mjs";
import { joinSoftBreaks, plainText, rewriteDescriptions } from "../../scripts/docs-markdown.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("joinSoftBreaks", () => {
  it("puts each paragraph and list item on one line, with a space where the line broke", () => {
    expect(joinSoftBreaks("To create\na backup, poll it with\n`showJob`.\n\nNext paragraph\n  goes on.")).toBe(
      "To create a backup, poll it with `showJob`.\n\nNext paragraph goes on.",
    );
    expect(joinSoftBreaks("- one\n  continued\n- two\n  1. nested\n")).toBe("- one continued\n- two\n  1. nested\n");
  });

  it("leaves code fences, tables, headings and hard breaks as they are", () => {
    const kept = [
      '```json\n{\n  "a": 1\n}\n```',
      "| a | b |\n|---|---|\n| 1 | 2 |",
      "## Title\nText",
      "line one  \nline two",
      "line one\\\nline two",
    ];
    for (const text of kept) expect(joinSoftBreaks(text)).toBe(text);
  });
});

describe("plainText", () => {
  it("drops code spans, emphasis and link marks", () => {
    expect(plainText("CBR regional endpoint; `region` is the\n**Open Telekom Cloud** [region](https://example.com).")).toBe(
      "CBR regional endpoint; region is the Open Telekom Cloud region.",
    );
  });
});

describe("rewriteDescriptions", () => {
  it("rewrites descriptions, never examples, defaults or enumerations", () => {
    const doc = {
      description: "a\nb",
      servers: [{ url: "https://x", description: "`x`" }],
      components: {
        schemas: {
          Thing: {
            description: "c\nd",
            example: { description: "e\nf" },
            properties: { description: { type: "string", default: "g\nh" } },
          },
        },
      },
    };
    rewriteDescriptions(doc, (text, where) => `${where.join("/")}:${text.replace("\n", " ")}`);
    expect(doc.description).toBe(":a b");
    expect(doc.servers[0]!.description).toBe("servers/0:`x`");
    expect(doc.components.schemas.Thing.description).toBe("components/schemas/Thing:c d");
    expect(doc.components.schemas.Thing.example.description).toBe("e\nf");
    expect(doc.components.schemas.Thing.properties.description.default).toBe("g\nh");
  });
});

describe("the code sample language menu (redocly.yaml)", () => {
  it("offers every sample the pages carry: Redoc drops a sample whose label it does not list", () => {
    const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8")) as {
      openapi: { codeSamples: { languages: { lang: string; label?: string }[] } };
    };
    const offered = config.openapi.codeSamples.languages.map((l) => (l.label ?? l.lang).toLowerCase());
    const doc = JSON.parse(readFileSync(join(root, "generated", "cbr.openapi.json"), "utf8"));
    const samples = codeSamples(doc, "cbr", "/v3/{project_id}/vaults", "get", doc.paths["/v3/{project_id}/vaults"].get);
    expect(samples.map((s) => s.label.toLowerCase())).toEqual(offered);
  });
});
