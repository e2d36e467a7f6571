// `otc-backup-api mock`: Prism stopped by SIGINT and SIGTERM with nothing left on the port, `-h`
// as Prism's host flag, Prism's own options after `--`, one-line errors for a taken port or a
// host that does not resolve.
import { once } from "node:events";
import { createServer } from "node:net";
import { beforeAll, describe, expect, test } from "vitest";
import { freePort } from "../../scripts/mock-server.mjs";
import { buildBin, finished, listening, run } from "./bin.js";

beforeAll(() => buildBin("mock"), 60_000);

describe("otc-backup-api mock", () => {
  test.each(["SIGINT", "SIGTERM"] as const)(
    "%s stops Prism and frees the port; -h is the host; options after -- reach Prism",
    async (signal) => {
      const port = await freePort();
      const child = run(["mock", "cbr", "-h", "127.0.0.1", "-p", String(port), "--", "--verboseLevel", "warn"]);
      const exited = finished(child);
      // Prism logs at "warn" only, so wait for the port rather than its banner.
      for (let i = 0; i < 600 && !(await listening(port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await listening(port)).toBe(true);
      child.kill(signal);
      const { code } = await exited;
      expect(code).toBe(0);
      expect(await listening(port)).toBe(false);
    },
    60_000,
  );

  test("a taken port is one line, before Prism starts", async () => {
    const taken = createServer().listen(0, "127.0.0.1");
    await once(taken, "listening");
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await finished(run(["mock", "cbr", "--port", String(port)]));
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`otc-backup-api: port ${port} on 127.0.0.1 is in use\n`);
    } finally {
      taken.close();
    }
  });

  test("a host that does not resolve is one line", async () => {
    const result = await finished(run(["mock", "vbs", "--host", "no-such-host.invalid"]));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('otc-backup-api: host "no-such-host.invalid" does not resolve\n');
  });

  test("--help is help; -h alone is not", async () => {
    const help = await finished(run(["mock", "--help"]));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--host ADDRESS, -h A");
    const shortH = await finished(run(["-h"]));
    expect(shortH.code).toBe(2);
    expect(shortH.stderr).toContain("for help use --help");
    const missingHost = await finished(run(["mock", "cbr", "-h"]));
    expect(missingHost.code).toBe(2);
    expect(missingHost.stderr).toMatch(/needs a value/);
  });
});
