// The pipeline's answer as the web Response that openapi-fetch and the strategies read.
import { markCut } from "../error-body.js";
import type { PipelineResponse } from "./request.js";

/** Statuses a Response may not carry a body with. */
const NULL_BODY = new Set([101, 204, 205, 304]);
const decoder = new TextDecoder();

/** A Response that keeps where it came from (a constructed Response has no URL): errors name it. */
class AnswerResponse extends Response {
  readonly #url: string;
  constructor(body: ReadableStream<Uint8Array> | null, init: ResponseInit, url: string) {
    super(body, init);
    this.#url = url;
  }
  override get url(): string {
    return this.#url;
  }
}

/**
 * A body already read, handed over through the reading methods (text, json, arrayBuffer, bytes,
 * blob) of a Response built without one: a body stream per call would cost more than the rest of
 * the client's own work. Each read returns a copy; reads may be repeated.
 */
class ReadResponse extends AnswerResponse {
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array, init: ResponseInit, url: string) {
    super(null, init, url);
    this.#bytes = bytes;
  }
  override text(): Promise<string> {
    return Promise.resolve(decoder.decode(this.#bytes));
  }
  override json(): Promise<unknown> {
    return this.text().then(JSON.parse);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes.slice().buffer);
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(this.#bytes.slice());
  }
  override blob(): Promise<Blob> {
    return Promise.resolve(new Blob([this.#bytes.slice()], { type: this.headers.get("content-type") ?? "" }));
  }
}

/** The answer as a Response: its body read (the reading methods hand it over) or still a stream. */
export function toWebResponse(answer: PipelineResponse): Response {
  const init = { status: answer.status, statusText: answer.statusText, headers: answer.headers };
  const bytes = answer.body;
  const response = NULL_BODY.has(answer.status)
    ? new AnswerResponse(null, init, answer.url)
    : bytes !== undefined
      ? new ReadResponse(bytes, init, answer.url)
      : new AnswerResponse(answer.stream, init, answer.url);
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
