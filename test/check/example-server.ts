// A loopback service that answers every operation of a bundled spec with the first example of its
// success response, with per-operation overrides: a stand-in for the real service whose answers
// the test controls (planted drift, identifying values).
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { sendJson, startLoopback, type Loopback, type LoopbackRequest } from "../support/loopback.js";

export type Override = (
  req: LoopbackRequest,
  params: Record<string, string>,
) => { status: number; body: unknown; headers?: Record<string, string> } | undefined;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  operationId: string;
  status: number;
  example: unknown;
}

export function routes(service: "cbr" | "vbs"): Route[] {
  const spec = JSON.parse(readFileSync(new URL(`../../generated/${service}.openapi.json`, import.meta.url), "utf8"));
  const deref = (node: any): any =>
    node?.$ref
      ? deref(
          node.$ref
            .slice(2)
            .split("/")
            .reduce((at: any, k: string) => at[k.replace(/~1/g, "/")], spec),
        )
      : node;
  const out: Route[] = [];
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!op?.operationId) continue;
      const status = Object.keys(op.responses).find((s) => s.startsWith("2"))!;
      const content = deref(op.responses[status]).content?.["application/json"];
      const example = content ? (content.example ?? deref(Object.values<any>(content.examples ?? {})[0])?.value) : undefined;
      const names: string[] = [];
      const pattern = new RegExp(`^${path.replace(/\{([^}]+)\}/g, (_, name) => (names.push(name), "([^/]+)"))}$`);
      out.push({ method: method.toUpperCase(), pattern, names, operationId: op.operationId, status: Number(status), example });
    }
  }
  // Literal paths before templated ones (X13: /backups/detail beside /backups/{id}).
  return out.sort((a, b) => a.names.length - b.names.length);
}

export async function startExampleService(
  service: "cbr" | "vbs",
  overrides: Record<string, Override> = {},
): Promise<Loopback & { served: unknown[] }> {
  const table = routes(service);
  const served: unknown[] = [];
  const server = await startLoopback(
    (req, res: ServerResponse) => {
      const route = table.find((r) => r.method === req.method && r.pattern.test(req.url.pathname));
      if (!route) return sendJson(res, 404, { error_code: "TEST.404", error_msg: "no route" });
      const values = route.pattern.exec(req.url.pathname)!.slice(1);
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(values[i]!)]));
      const answer = overrides[route.operationId]?.(req, params) ?? { status: route.status, body: route.example };
      served.push(answer.body);
      if (answer.body === undefined) {
        res.statusCode = answer.status;
        return res.end();
      }
      return sendJson(res, answer.status, answer.body, answer.headers);
    },
    { maxRequests: 1000 },
  );
  return Object.assign(server, { served });
}
