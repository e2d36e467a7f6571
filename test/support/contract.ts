// Contract-test helpers: typed clients talking to the Prism mocks that test/support/prism-setup.ts
// started from the bundled specs.
//
//   import { vbsClient, expectNoViolations } from "../support/contract.js";
//   const { data, error, response } = await vbsClient().GET("/v2/{project_id}/os-vendor-backup-sharing/count", {
//     params: { query: { share_to_me: true } },       // never pass project_id: the client does
//   });
//   expect(response.status).toBe(200);
//   expectNoViolations(response);                    // the mock found request and response valid
//   expect(data?.count).toBe(2);
//
// `vbsClient({ token: null })` sends no token (→ 401). `prefer(…)` asks Prism for a documented
// status or named example: `vbsClient().GET(path, { headers: prefer({ code: 404 }) })`.
import { expect, inject } from "vitest";
import { createCbrClient, createVbsClient, staticTokenAuth, type AuthStrategy } from "../../src/index.js";

import { PROJECT_ID, TOKEN } from "./constants.js";

export { PROJECT_ID, TOKEN };

const noAuth: AuthStrategy = { type: "none", authenticate: async (request) => request };

interface TestClientOptions {
  /** `null` sends no X-Auth-Token. */
  token?: string | null;
}

function mockUrl(service: "vbs" | "cbr"): string {
  const url = inject(`${service}MockUrl`);
  if (!url)
    throw new Error(`No ${service} mock is running: generate the bundle (npm run generate) or set OTC_TEST_SPEC_${service.toUpperCase()}`);
  return url;
}

function authFor(options: TestClientOptions): AuthStrategy {
  return options.token === null ? noAuth : staticTokenAuth(options.token ?? TOKEN);
}

export function vbsClient(options: TestClientOptions = {}) {
  return createVbsClient({ endpoint: mockUrl("vbs"), projectId: PROJECT_ID, auth: authFor(options) });
}

export function cbrClient(options: TestClientOptions = {}) {
  return createCbrClient({ endpoint: mockUrl("cbr"), projectId: PROJECT_ID, auth: authFor(options) });
}

/**
 * Prism adds `sl-violations` when a request or response breaks the spec, and with --errors
 * answers a response violation with a 500 `application/problem+json`; the specs never use that
 * media type, so either sign means the mock found the spec and the exchange at odds.
 */
export function expectNoViolations(response: Response): void {
  expect(response.headers.get("sl-violations"), "Prism reported violations").toBeNull();
  expect(response.headers.get("content-type") ?? "", "Prism answered with a problem document").not.toContain("problem+json");
}

/** A Prefer header asking Prism for a given status code and/or named example. */
export function prefer(choice: { code?: number; example?: string }): Record<string, string> {
  const parts: string[] = [];
  if (choice.code !== undefined) parts.push(`code=${choice.code}`);
  if (choice.example !== undefined) parts.push(`example=${choice.example}`);
  return { Prefer: parts.join(", ") };
}

/** The body is a CBR error (`{error_code, error_msg}`), with the given code if one is named. */
export function expectCbrError(error: unknown, code?: string): void {
  const body = error as { error_code?: unknown; error_msg?: unknown };
  expect(typeof body?.error_code).toBe("string");
  expect(typeof body?.error_msg).toBe("string");
  if (code !== undefined) expect(body.error_code).toBe(code);
}

/** The body is a VBS vendor error (`{error: {code, message}}`). */
export function expectVbsError(error: unknown): void {
  const body = error as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body?.error?.code).toBe("string");
  expect(typeof body?.error?.message).toBe("string");
}
