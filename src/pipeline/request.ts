// What flows through the pipeline's steps: one request down, one answer up. Each step is a
// function of the request, the call context and the next step (as Azure core-rest-pipeline's
// policies and smithy's middleware are), so that the route of a request is the list in
// client-pipeline.ts (API calls) and iam-pipeline.ts (IAM requests), read top to bottom.
import type { CallContext } from "./context.js";

/** Told about the attempts of a request (the observe step listens; the retry and attempt steps tell). */
export interface AttemptObserver {
  attemptStarted(): void;
  attemptEnded(status: number | undefined, error: unknown, requestId: string | undefined): void;
  retrying(delayMs: number): void;
}

export interface PipelineRequest {
  readonly method: string;
  /** Absolute URL. */
  readonly url: string;
  /** The request's own headers; the credentials step adds its credentials to a copy per send. */
  readonly headers: Headers;
  /** The exact bytes sent by every attempt (a signature covers them). */
  readonly body: Uint8Array | undefined;
  /** The caller's own signal: its abort rejects with its reason, never as a failure of the request. */
  readonly callerSignal: AbortSignal | undefined;
  /** The operation called, for errors and events. */
  readonly operationId?: string | undefined;
  /** Read the whole body inside the attempt (false: the caller streams it after the call). */
  readonly readBody: boolean;
  /** Run once the call is over (its body read or given up on): stops what an unread body keeps alive. */
  readonly cleanups?: Array<() => void> | undefined;
  readonly observer?: AttemptObserver | undefined;
  /** Other init options of the call (`cache`, `credentials`, `keepalive`…), for a fetch sender; others ignore them. */
  readonly fetchInit?: Record<string, unknown> | undefined;
}

/** An answer as the steps pass it up: its body read (and capped), or a stream to be read later. */
export interface PipelineResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
  /** The body read inside the attempt; undefined when it is left to `stream` (or there is none). */
  readonly body: Uint8Array | undefined;
  /** The body still to be read (decoded, capped), when not read inside the attempt. */
  readonly stream: ReadableStream<Uint8Array> | null;
  /** The body was cut at the error-body cap. */
  readonly truncated: boolean;
  /** Drops an unread body. */
  discard(): Promise<void>;
}

export type Next = (request: PipelineRequest, context: CallContext) => Promise<PipelineResponse>;
export type Step = (request: PipelineRequest, context: CallContext, next: Next) => Promise<PipelineResponse>;

/** The steps in order, the first outermost, ending in `last` (the step that calls the sender). */
export function compose(steps: readonly Step[], last: Next): Next {
  return steps.reduceRight<Next>((next, step) => (request, context) => step(request, context, next), last);
}
