// `otc-backup-api fake`: the stateful fake of CBR, VBS and IAM on localhost. The first line of
// standard output is one JSON object with the endpoints, the project and credentials the client's
// options take as they are; it then serves until SIGINT or SIGTERM.
import { startFake } from "../fake/index.js";
import { fail, parseOptions, portOption, text, usageError } from "./common.js";

export const FAKE_USAGE = `usage: otc-backup-api fake [--port N] [--host ADDRESS] [--seed S] [--speed X]

Serves a stateful in-memory fake of CBR, VBS and IAM's token API on one port. Prints one line of
JSON (endpoints, project id, credentials), then serves until Ctrl-C or SIGTERM.

  --port N, -p N        port to listen on (default 0: any free port)
  --host ADDRESS, -h A  address to listen on (default 127.0.0.1, this machine only)
  --seed S              seed of ids and fault decisions (default 1)
  --speed X             simulated time runs X times the wall clock (default 1; 0 stops it)

Admin endpoints: POST <admin>/advance {"ms":N}, POST <admin>/faults {"rules":[…]}, GET <admin>/snapshot,
POST <admin>/restore, POST <admin>/reset (docs/fake.md).`;

export async function runFake(args: string[]): Promise<void> {
  const { values, positionals } = parseOptions(FAKE_USAGE, args, {
    port: { type: "string", short: "p" },
    host: { type: "string", short: "h" },
    seed: { type: "string" },
    speed: { type: "string" },
    help: { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(`${FAKE_USAGE}\n`);
    return;
  }
  if (positionals.length > 0) usageError(FAKE_USAGE, `unexpected argument "${positionals[0]}"`);
  const port = portOption(FAKE_USAGE, text(values, "port"), 0, 0);
  const seedText = text(values, "seed");
  const seed = seedText === undefined ? 1 : Number(seedText);
  if (!Number.isInteger(seed)) usageError(FAKE_USAGE, `--seed takes an integer, got "${seedText}"`);
  const speedText = text(values, "speed");
  const speed = speedText === undefined ? 1 : Number(speedText);
  if (!(Number.isFinite(speed) && speed >= 0)) usageError(FAKE_USAGE, `--speed takes a number ≥ 0, got "${speedText}"`);
  const host = text(values, "host") ?? "127.0.0.1";

  const fake = await startFake({ port, host, seed, speed }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") return fail(`port ${port} on ${host} is in use`);
    if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") return fail(`host "${host}" does not resolve`);
    if (error.code === "EADDRNOTAVAIL") return fail(`"${host}" is not an address of this machine`);
    return fail(error.message);
  });
  const { iam, cbr, vbs, endpoints, projectId, region, projects, sharedProjectId, credentials, admin } = fake;
  process.stdout.write(
    `${JSON.stringify({ iam, cbr, vbs, endpoints, projectId, region, projects, sharedProjectId, credentials, admin })}\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    fake.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
