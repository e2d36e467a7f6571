// The pipeline's answer as the web Response that openapi-fetch and the strategies read.
import { markCut } from "../error-body.js";
import type { PipelineResponse } from "./request.js";

/** Statuses a Response may not carry a body with. */
const NULL_BODY = new Set([101, 204, 205, 304]);

export function toWebResponse(answer: PipelineResponse): Response {
  const body = NULL_BODY.has(answer.status) ? null : (answer.body ?? answer.stream);
  const response = new Response(body as BodyInit | null, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  // Keep where it came from (a constructed Response has no URL): errors name it.
  Object.defineProperty(response, "url", { value: answer.url });
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
