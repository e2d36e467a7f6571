// Hostile loopback servers for the security suite: a "foreign" origin that records everything it
// receives (it must receive nothing), and a redirector that answers every request with a redirect
// to the foreign origin, the way a compromised proxy or a misconfigured endpoint would.
import type { IncomingHttpHeaders } from "node:http";
import { startLoopback, type Loopback, type LoopbackRequest } from "../support/loopback.js";

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;

/** Header names that carry credentials; none may reach a foreign origin. */
export const CREDENTIAL_HEADERS = ["x-auth-token", "x-security-token", "x-project-id", "x-domain-id", "authorization", "x-subject-token"];

/** The credential headers of a recorded request. */
export function credentialHeaders(headers: IncomingHttpHeaders): Record<string, unknown> {
  return Object.fromEntries(CREDENTIAL_HEADERS.filter((name) => headers[name] !== undefined).map((name) => [name, headers[name]]));
}

export interface Redirector extends Loopback {
  /** The status it answers with; tests change it. */
  answer: { status: number };
  /** Where it redirects to; the path and query must never show up in an error. */
  location: string;
}

/** Answers every request with `answer.status` and a Location on `target` (with a path and a query that look secret). */
export async function startRedirector(target: string): Promise<Redirector> {
  const location = `${target}/collect/stolen-path?sig=SECRETQUERY`;
  const answer = { status: 302 };
  const server = await startLoopback((_req, res) => {
    res.writeHead(answer.status, { Location: location, "Content-Type": "text/plain", "Content-Length": "5" }).end("moved");
  });
  return Object.assign(server, { answer, location });
}

/** A server that accepts anything with 200 and records it; the foreign origin of the suite. */
export function startForeign(): Promise<Loopback> {
  return startLoopback((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
  });
}

/** Everything a foreign origin saw, for assertions: method, path, credential headers, body. */
export function seen(requests: readonly LoopbackRequest[]) {
  return requests.map((r) => ({ method: r.method, path: r.url.pathname, credentials: credentialHeaders(r.headers), body: r.body }));
}
