// The HTTP side: one node:http server on one port. `/iam/v3…` is IAM, `/cbr/<region>/…` and
// `/vbs/<region>/…` the services (routed by the bundled specs' paths), `/__fake/…` the admin
// endpoints (time, faults, snapshots). Each request: due events run, faults may replace the
// answer, credentials are checked, the request is checked against the spec, then the
// operation's handler answers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { cbrHandlers } from "./cbr.js";
import type { SimulatedClock } from "./clock.js";
import type { Durations, Handler, Reply } from "./context.js";
import { CODES, FakeError, errorBody, familyOf, type ErrorFamily } from "./errors.js";
import type { FaultRule, Faults } from "./faults.js";
import { one, type FakeIam } from "./iam.js";
import { validateRequest, type SchemaIssue } from "../validate/index.js";
import { loadSpec, matchOperation, type LoadedSpec, type ServiceName, type SpecOperation } from "./spec.js";
import { REGIONS, type FakeState, type Region, type Store } from "./store.js";
import { vbsHandlers } from "./vbs.js";

/** One request and the answer the fake sent, for tests that check every answer against the spec. */
export interface Exchange {
  service: "iam" | ServiceName | "admin";
  region: Region | undefined;
  operationId: string | undefined;
  method: string;
  path: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Set when a fault replaced the fake's answer. */
  fault: FaultRule["kind"] | undefined;
}

export interface ServerParts {
  store: Store;
  clock: SimulatedClock;
  faults: Faults;
  iam: FakeIam;
  projects: Record<Region, string>;
  /** Every project of the account, in any region. */
  knownProjects: Set<string>;
  listeners: Set<(exchange: Exchange) => void>;
  durations: Durations;
  seedFaults(rules: FaultRule[], seed?: number): void;
}

const HANDLERS: Record<ServiceName, Record<string, Handler>> = { cbr: cbrHandlers, vbs: vbsHandlers };
const MAX_BODY = 1 << 20;

export async function listen(parts: ServerParts, host: string, port: number): Promise<{ server: Server; origin: string }> {
  let origin = "";
  let requestCount = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      const requestId = `fake-${(++requestCount).toString(16).padStart(8, "0")}`;
      serve(parts, origin, req, res, Buffer.concat(chunks), requestId).catch((error: unknown) => {
        // A bug in the fake: answer 500 and say so, rather than hang the client.
        if (!res.headersSent) send(res, 500, { error_code: "FAKE.0500", error_msg: `the fake failed: ${(error as Error)?.message}` }, {});
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  origin = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  return { server, origin };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function serve(
  parts: ServerParts,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  requestId: string,
): Promise<void> {
  const url = new URL(req.url ?? "/", origin);
  const method = (req.method ?? "GET").toUpperCase();
  const { store, clock } = parts;
  store.runDue(clock.now());

  let body: unknown;
  let badJson = false;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      badJson = true;
    }
  }

  const segments = url.pathname.split("/");
  const prefix = segments[1];
  let service: Exchange["service"] = "admin";
  let region: Region | undefined;
  let operation: SpecOperation | undefined;
  let spec: LoadedSpec | undefined;
  let params: Record<string, string> = {};
  let subPath = url.pathname;
  if (prefix === "iam") {
    service = "iam";
    subPath = `/${segments.slice(2).join("/")}`;
  } else if ((prefix === "cbr" || prefix === "vbs") && REGIONS.includes(segments[2] as Region)) {
    service = prefix;
    region = segments[2] as Region;
    subPath = `/${segments.slice(3).join("/")}`;
    spec = loadSpec(prefix);
    const matched = matchOperation(spec, method, subPath);
    if (typeof matched === "object") ({ operation, params } = matched);
  }

  const headers: Record<string, string> = { "X-Request-Id": requestId };
  const record = (status: number, answer: unknown, fault?: FaultRule["kind"]) => {
    if (parts.listeners.size === 0) return;
    const exchange: Exchange = {
      service,
      region,
      operationId: operation?.operationId,
      method,
      path: url.pathname + url.search,
      status,
      body: answer,
      headers: { ...headers },
      fault,
    };
    for (const listener of parts.listeners) listener(exchange);
  };
  const reply = (r: Reply) => {
    Object.assign(headers, r.headers ?? {});
    record(r.status, r.body);
    send(res, r.status, r.body, headers);
  };
  const family: ErrorFamily = spec ? familyOf(spec, operation) : "cbr";
  const error = (status: number, code: string, message: string) =>
    reply({ status, body: errorBody(family, status, code, message, requestId) });

  if (service === "admin") {
    if (!url.pathname.startsWith("/__fake/"))
      return error(
        404,
        "FAKE.0404",
        `Nothing here: IAM is at /iam/v3, the services at /cbr/<region> and /vbs/<region>, the admin endpoints at /__fake/.`,
      );
    return reply(admin(parts, method, url.pathname, body));
  }

  // Faults come first: the gateway in front of the services is what fails.
  for (const fault of parts.faults.decide({ service, operationId: operation?.operationId, method })) {
    if (fault.kind === "latency") await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    else if (fault.kind === "drop-before-headers") {
      record(0, undefined, fault.kind);
      req.socket.destroy();
      return;
    } else if (fault.kind === "drop-during-body") {
      const text = JSON.stringify(errorBody(family, 200, "FAKE.0000", "this body is cut short", requestId)).padEnd(256, " ");
      record(200, undefined, fault.kind);
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": text.length, ...headers });
      res.write(text.slice(0, text.length >> 1));
      setImmediate(() => req.socket.destroy());
      return;
    } else {
      const status = fault.status!;
      if (status === 429) headers["Retry-After"] = String(fault.retryAfterSeconds ?? 1);
      const codes: Record<number, [string, string]> = {
        429: ["APIGW.0308", "The throttling threshold has been reached."],
        500: [CODES[family].server, "An internal error occurred (injected by the fake)."],
        502: ["APIGW.0202", "Bad gateway (injected by the fake)."],
        503: ["APIGW.0203", "The service is unavailable (injected by the fake)."],
        504: ["APIGW.0204", "The gateway timed out (injected by the fake)."],
      };
      const [code, message] = codes[status]!;
      Object.assign(headers, {});
      const answer = errorBody(
        family === "native" ? "native" : family,
        status,
        family === "native" ? String(status) : code,
        message,
        requestId,
      );
      record(status, answer, "status");
      send(res, status, answer, headers);
      return;
    }
  }

  if (service === "iam") {
    if (badJson)
      return reply({ status: 400, body: { error: { code: 400, message: "The request body is not valid JSON.", title: "Bad Request" } } });
    return reply(
      await parts.iam.handle({ method, path: subPath, query: url.searchParams, headers: req.headers, body, rawBody: raw, url: url.href }),
    );
  }

  if (!spec || !region)
    return error(
      404,
      "FAKE.0404",
      `No such service or region: ${url.pathname}. Services: /cbr/<region>, /vbs/<region>; regions: ${REGIONS.join(", ")}.`,
    );
  if (!operation) {
    const matched = matchOperation(spec, method, subPath);
    return matched === "method"
      ? error(
          405,
          family === "native" ? "405" : family === "vbs" ? "AutoBackup.0222" : CODES.cbr.badRequest,
          `${method} is not allowed on ${subPath}.`,
        )
      : error(404, CODES[family].notFound, `No ${service.toUpperCase()} operation answers ${method} ${subPath}.`);
  }

  const projectId = params.project_id;
  if (projectId !== undefined) {
    const token = one(req.headers["x-auth-token"]);
    const authorization = one(req.headers.authorization);
    let callerProject: string | undefined;
    if (token !== undefined) {
      const record = parts.iam.tokenOf(token);
      if (!record)
        return error(
          401,
          family === "native" ? "401" : CODES.cbr.unauthorized,
          "Incorrect IAM authentication information: token expired or invalid.",
        );
      callerProject = record.projectId;
    } else if (authorization !== undefined) {
      const verdict = await parts.iam.verifySignature({ method, url: url.href, headers: req.headers, rawBody: raw });
      if (!verdict.ok)
        return error(
          401,
          family === "native" ? "401" : CODES.cbr.unauthorized,
          `Incorrect IAM authentication information: ${verdict.reason}.`,
        );
      callerProject = verdict.projectId ?? projectId;
    } else {
      return error(
        401,
        family === "native" ? "401" : CODES.cbr.unauthorized,
        "Incorrect IAM authentication information: the request carries neither X-Auth-Token nor a signature.",
      );
    }
    if (callerProject !== projectId)
      return error(403, CODES[family].forbidden, `The credentials are for project ${callerProject}, not ${projectId}.`);
    if (!parts.knownProjects.has(projectId)) return error(403, CODES[family].forbidden, `Project ${projectId} does not exist.`);
  }

  if (badJson)
    return error(
      400,
      family === "vbs" ? "AutoBackup.0008" : CODES[family].badRequest,
      "Failed to convert the request into a JSON object: the body is not valid JSON.",
    );
  // Services ignore query parameters they do not know; everything else the spec says is checked.
  const issues = validateRequest(service, operation.operationId, { path: params, query: url.searchParams, body }).filter(
    (i) => i.keyword !== "parameter" && !i.notice,
  );
  if (issues.length > 0)
    return error(
      400,
      CODES[family].badRequest,
      `${family === "cbr" ? "Parameter verification failed" : "The request format is incorrect"}: ${describeIssue(issues[0]!)}.`,
    );

  const handler = HANDLERS[service][operation.operationId];
  if (!handler)
    return error(501, family === "native" ? "501" : CODES[family].server, `The fake does not implement ${operation.operationId}.`);
  try {
    const baseUrl = `${origin}/${service}/${region}`;
    reply(
      handler({
        spec,
        operation,
        region,
        projectId: projectId ?? "",
        params,
        query: url.searchParams,
        body,
        now: clock.now(),
        store,
        baseUrl,
        projects: parts.projects,
        durations: parts.durations,
      }),
    );
  } catch (thrown) {
    if (!(thrown instanceof FakeError)) throw thrown;
    Object.assign(headers, thrown.headers);
    error(thrown.status, thrown.code, thrown.message);
  }
}

/** `body.vault.billing.size: expected minimum 1, got integer -1`, from the first issue. */
function describeIssue(issue: SchemaIssue): string {
  const where =
    issue.pointer === ""
      ? "the body"
      : issue.pointer.startsWith("/")
        ? `body${issue.pointer.replace(/\//g, ".")}`
        : issue.pointer.replace(":", " parameter ");
  return `${where}: expected ${issue.expected}, got ${issue.actual}${issue.value === undefined ? "" : ` ${JSON.stringify(issue.value)}`}`;
}

function admin(parts: ServerParts, method: string, path: string, body: any): Reply {
  const json = (status: number, answer: unknown): Reply => ({ status, body: answer });
  try {
    switch (`${method} ${path}`) {
      case "GET /__fake/time":
        return json(200, { now: parts.clock.now(), speed: parts.clock.speed });
      case "POST /__fake/advance":
        parts.clock.advance(Number(body?.ms));
        return json(200, { now: parts.clock.now() });
      case "POST /__fake/speed":
        parts.clock.setSpeed(Number(body?.speed));
        return json(200, { now: parts.clock.now(), speed: parts.clock.speed });
      case "GET /__fake/faults":
        return json(200, { rules: parts.faults.rules });
      case "POST /__fake/faults":
        parts.seedFaults(Array.isArray(body?.rules) ? body.rules : [], body?.seed);
        return json(200, { rules: parts.faults.rules });
      case "DELETE /__fake/faults":
        parts.faults.clear();
        return json(200, { rules: [] });
      case "GET /__fake/snapshot":
        return json(200, parts.store.snapshot());
      case "POST /__fake/restore":
        parts.store.restore(body as FakeState);
        return json(200, { restored: true });
      case "POST /__fake/reset":
        parts.store.reset();
        parts.faults.clear();
        return json(200, { reset: true });
      default:
        return json(404, {
          error_code: "FAKE.0404",
          error_msg: `No admin endpoint ${method} ${path}: time, advance, speed, faults, snapshot, restore, reset.`,
        });
    }
  } catch (error) {
    return json(400, { error_code: "FAKE.0400", error_msg: (error as Error).message });
  }
}
