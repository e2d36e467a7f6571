// Error bodies are kept for diagnosis, not archived: a proxy's 10 MB HTML page (or a 136-byte
// brotli body that inflates to 100 MiB) must not end up whole in an error, its toJSON() and every
// log line made from it. Error answers are read up to MAX_ERROR_BODY decoded bytes as they arrive
// (the pipeline's response guard; the rest is dropped) and kept up to MAX_ERROR_BODY characters,
// flagged as truncated.

/** The most of an error body that is read and kept: 64 KiB (bytes read, characters kept). */
export const MAX_ERROR_BODY = 64 * 1024;

/** Responses whose body was cut at MAX_ERROR_BODY bytes. */
const cut = new WeakSet<Response>();

/** True when this response's body was cut. */
export function wasCut(response: Response): boolean {
  return cut.has(response);
}

/** Flags a response whose body the pipeline cut at MAX_ERROR_BODY decoded bytes. */
export function markCut(response: Response): void {
  cut.add(response);
}

/**
 * For an error status (400 and above) of a Response that did not come through the pipeline:
 * the same response, its body limited to MAX_ERROR_BODY bytes as they arrive, whatever
 * Content-Length says (whatever reads it reads no more). Other responses are returned as they are.
 */
export function capErrorBody(response: Response): Response {
  if (response.status < 400 || response.body === null || cut.has(response)) return response;
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
