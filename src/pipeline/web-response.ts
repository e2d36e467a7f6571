// The pipeline's answer as the web Response that openapi-fetch and the strategies read.
import { markCut } from "../error-body.js";
import type { PipelineResponse } from "./request.js";

/** Statuses a Response may not carry a body with. */
const NULL_BODY = new Set([101, 204, 205, 304]);
const decoder = new TextDecoder();

/**
 * A body already read is handed over through the reading methods (text, json, arrayBuffer,
 * bytes) of a Response built without one: a body stream per call would cost more than the rest
 * of the client's own work. A body still to be read is the Response's stream.
 */
export function toWebResponse(answer: PipelineResponse): Response {
  const init = { status: answer.status, statusText: answer.statusText, headers: answer.headers };
  const bytes = answer.body;
  const response = NULL_BODY.has(answer.status) || bytes !== undefined ? new Response(null, init) : new Response(answer.stream, init);
  // Keep where it came from (a constructed Response has no URL): errors name it.
  Object.defineProperty(response, "url", { value: answer.url });
  if (bytes !== undefined && !NULL_BODY.has(answer.status)) {
    const text = () => Promise.resolve(decoder.decode(bytes));
    Object.defineProperties(response, {
      text: { value: text, configurable: true },
      json: { value: () => text().then(JSON.parse), configurable: true },
      arrayBuffer: { value: () => Promise.resolve(bytes.slice().buffer), configurable: true },
      bytes: { value: () => Promise.resolve(bytes.slice()), configurable: true },
      blob: {
        value: () => Promise.resolve(new Blob([bytes.slice()], { type: answer.headers.get("content-type") ?? "" })),
        configurable: true,
      },
    });
  }
  if (answer.truncated) markCut(response);
  return response;
}

/** Drops a Response's body unread. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // the body is unwanted either way
  }
}
