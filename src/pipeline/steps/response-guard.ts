// The last step: calls the sender, then holds the answer to what the client may keep. A redirect
// is refused (redirects.ts); an error answer's body is read up to MAX_ERROR_BODY decoded bytes
// (the rest is dropped, the answer flagged as cut, whatever Content-Length said); a success body
// is read up to `maxResponseBytes` decoded bytes, beyond which the request fails with the
// OtcApiError kind "too-large" (a 900-byte gzip answer may inflate to gigabytes).
import { MAX_ERROR_BODY } from "../../error-body.js";
import { tooLargeError, transportError, type AnswerHead } from "../../errors.js";
import { redirectOf, type Redirect } from "../../redirects.js";
import type { CallContext } from "../context.js";
import type { Next, PipelineRequest, PipelineResponse } from "../request.js";
import { defaultSender } from "../senders/default.js";
import { BodyLimitError, sendsWithTimeout, type SendRequest, type SentResponse } from "../senders/types.js";

export interface GuardOptions {
  /** Largest success body kept, in decoded bytes. */
  maxResponseBytes: number;
  /** The error for a refused redirect. */
  refuse: (redirect: Redirect, request: PipelineRequest) => Error;
}

/** Statuses that never have a body. */
const NO_BODY = new Set([204, 205, 304]);

export function responseGuard(options: GuardOptions): Next {
  const { maxResponseBytes, refuse } = options;
  return async (request, context: CallContext) => {
    const send = context.sender ?? defaultSender;
    // A body read here ends within the exchange, so a sender that keeps timeouts can keep the
    // attempt's; a body left to the caller is bounded by the attempt's signal until the call ends.
    const untimed = request.readBody && sendsWithTimeout(send) ? context.untimed?.() : undefined;
    const toSend: SendRequest = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: untimed ? untimed.signal : context.signal,
      timeoutMs: untimed?.timeoutMs,
      fetchInit: request.fetchInit,
    };
    const sent = await send(toSend);
    const head: AnswerHead = {
      status: sent.status,
      statusText: sent.statusText,
      headers: sent.headers,
      url: (sent as { url?: string }).url || request.url,
    };
    const redirect = redirectOf(head, request.url, (sent as { redirectedTo?: string | undefined }).redirectedTo);
    if (redirect) {
      await sent.discard();
      throw refuse(redirect, request);
    }
    const facts = () => ({ method: request.method, url: request.url, operationId: request.operationId });
    if (request.method === "HEAD" || NO_BODY.has(sent.status)) {
      await sent.discard();
      return answer(head, new Uint8Array(0), null, false);
    }
    try {
      if (sent.status >= 400) {
        const { bytes, truncated } = await readCapped(sent, MAX_ERROR_BODY);
        return answer(head, bytes, null, truncated);
      }
      if (request.readBody) return answer(head, await sent.bytes(maxResponseBytes), null, false);
    } catch (error) {
      if (error instanceof BodyLimitError) throw tooLargeError(head, maxResponseBytes, facts());
      if (request.callerSignal?.aborted) throw request.callerSignal.reason;
      throw transportError(error, facts(), head);
    }
    const stream = sent.stream();
    return answer(
      head,
      undefined,
      stream && limitStream(stream, maxResponseBytes, () => tooLargeError(head, maxResponseBytes, facts())),
      false,
    );
  };
}

/** An answer as the steps pass it up (no closure of its own: `discard` reads its stream). */
function answer(
  head: AnswerHead,
  body: Uint8Array | undefined,
  stream: ReadableStream<Uint8Array> | null,
  truncated: boolean,
): PipelineResponse {
  return { status: head.status, statusText: head.statusText, headers: head.headers, url: head.url, body, stream, truncated, discard };
}

function discard(this: PipelineResponse): Promise<void> {
  return this.stream ? this.stream.cancel().catch(() => {}) : Promise.resolve();
}

/** Reads at most `limit` decoded bytes of the body, then drops the rest. */
async function readCapped(sent: SentResponse, limit: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const stream = sent.stream();
  if (stream === null) return { bytes: new Uint8Array(0), truncated: false };
  const reader = stream.getReader();
  const kept = new Uint8Array(limit);
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: kept.subarray(0, size), truncated: false };
    const room = limit - size;
    kept.set(value.byteLength <= room ? value : value.subarray(0, room), size);
    size += Math.min(room, value.byteLength);
    if (value.byteLength > room) {
      reader.cancel().catch(() => {});
      return { bytes: kept.subarray(0, size), truncated: true };
    }
  }
}

/** The stream, failing with `tooLarge()` once more than `limit` bytes passed through it. */
function limitStream(stream: ReadableStream<Uint8Array>, limit: number, tooLarge: () => Error): ReadableStream<Uint8Array> {
  let seen = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}
