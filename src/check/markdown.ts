// The report as Markdown, to paste into an issue: the summary per operation, then each
// disagreement with what the spec says and what came.
import type { CheckReport } from "./report.js";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

export function reportMarkdown(report: CheckReport): string {
  const errors = report.disagreements.filter((d) => !d.notice);
  const notices = report.disagreements.filter((d) => d.notice);
  const lines = [
    `# Spec check: ${report.services.join(", ")}`,
    ``,
    `${report.tool} ${report.version}: ${report.requests} read-only requests` +
      (report.stoppedAt !== undefined ? ` (stopped at the limit of ${report.stoppedAt})` : "") +
      `, ${errors.length} disagreements, ${notices.length} notices, ${report.failures.length} kinds of failed calls.`,
    ``,
    `IDs are stand-ins; names, descriptions, tags, addresses, URLs and free text are left out.`,
    ``,
    `## Operations`,
    ``,
    `| service | operation | calls | statuses | disagreements | notices | failed |`,
    `|---|---|---:|---|---:|---:|---:|`,
    ...report.operations.map(
      (o) =>
        `| ${o.service} | ${code(o.operationId)} | ${o.calls} | ${Object.entries(o.statuses)
          .map(([s, n]) => `${s}×${n}`)
          .join(", ")} | ${o.disagreements} | ${o.notices} | ${o.failures} |`,
    ),
    ``,
  ];
  const table = (title: string, rows: typeof report.disagreements) => {
    if (rows.length === 0) return;
    lines.push(
      `## ${title}`,
      ``,
      `| service | operation | status | pointer | spec says | came | value | answers |`,
      `|---|---|---:|---|---|---|---|---:|`,
    );
    for (const d of rows) {
      const value = d.value === undefined ? "" : code(JSON.stringify(d.value));
      lines.push(
        `| ${d.service} | ${code(d.operationId)} | ${d.status} | ${code(d.pointer || "/")} | ${cell(d.expected)} | ${cell(d.actual)} | ${value} | ${d.count} |`,
      );
    }
    lines.push(``);
  };
  table("Disagreements", errors);
  table("Notices (additions the spec allows: new values of open enums, undeclared properties)", notices);
  if (report.failures.length) {
    lines.push(`## Calls without an answer`, ``, `| service | operation | failure | calls |`, `|---|---|---|---:|`);
    for (const f of report.failures) lines.push(`| ${f.service} | ${code(f.operationId)} | ${f.kind} | ${f.count} |`);
    lines.push(``);
  }
  return lines.join("\n");
}

/** The summary table printed at the end of a run (plain text, one line per operation). */
export function summaryTable(report: CheckReport): string {
  const rows = report.operations.map((o) => [
    `${o.service} ${o.operationId}`,
    String(o.calls),
    Object.entries(o.statuses)
      .map(([s, n]) => `${s}×${n}`)
      .join(","),
    String(o.disagreements),
    String(o.notices),
    String(o.failures),
  ]);
  const head = ["operation", "calls", "statuses", "disagreements", "notices", "failed"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}
