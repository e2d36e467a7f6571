// Error bodies are kept for diagnosis, not archived: a proxy's 10 MB HTML page must not end up
// whole in an error, its toJSON() and every log line made from it. Error answers are read up to
// MAX_ERROR_BODY bytes (the rest of the stream is cancelled) and kept up to MAX_ERROR_BODY
// characters, flagged as truncated.

/** The most of an error body that is read and kept: 64 KiB (bytes read, characters kept). */
export const MAX_ERROR_BODY = 64 * 1024;

/** Responses whose body was cut at MAX_ERROR_BODY bytes by capErrorBody. */
const cut = new WeakSet<Response>();

/** True when capErrorBody cut this response's body. */
export function wasCut(response: Response): boolean {
  return cut.has(response);
}

/**
 * For an error status (400 and above): the same response, its body limited to MAX_ERROR_BODY bytes
 * (whatever reads it, e.g. openapi-fetch, reads no more). Other responses, and error answers that
 * declare a length within the limit, are returned as they are.
 */
export function capErrorBody(response: Response): Response {
  if (response.status < 400 || response.body === null) return response;
  const length = Number(response.headers.get("content-length") ?? NaN);
  if (Number.isFinite(length) && length <= MAX_ERROR_BODY) return response;
  const reader = response.body.getReader();
  let seen = 0;
  const capped: Response = new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        const room = MAX_ERROR_BODY - seen;
        if (value.byteLength <= room) {
          seen += value.byteLength;
          controller.enqueue(value);
          return;
        }
        controller.enqueue(value.subarray(0, room));
        cut.add(capped);
        controller.close();
        await reader.cancel().catch(() => undefined);
      },
      cancel: (reason) => reader.cancel(reason),
    }),
    { status: response.status, statusText: response.statusText, headers: response.headers },
  );
  // Keep what the original says about where it came from (a constructed Response has no URL).
  Object.defineProperty(capped, "url", { value: response.url });
  return capped;
}

/** Reads at most MAX_ERROR_BODY bytes of a body as text (for errors built here, e.g. IAM's). */
export async function readErrorText(response: Response): Promise<{ text: string; truncated: boolean }> {
  const capped = capErrorBody(response);
  try {
    const text = await capped.text();
    return keepText(text, wasCut(capped));
  } catch {
    return { text: "", truncated: false };
  }
}

/** A body as it may be kept in an error: strings over MAX_ERROR_BODY characters are cut. */
export function keepText(text: string, alreadyCut = false): { text: string; truncated: boolean } {
  if (text.length <= MAX_ERROR_BODY) return { text, truncated: alreadyCut };
  return { text: text.slice(0, MAX_ERROR_BODY), truncated: true };
}
