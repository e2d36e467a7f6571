// Reads a response's body in middleware without taking it from the caller.

/**
 * The body as text, leaving it readable for the caller: from a clone, or, when the body was read
 * already (this package's clients read it inside the attempt, under its timeout, and hand it out
 * through reading methods of the response's own), from the response's `text()`.
 * `undefined` when the body can no longer be read.
 */
export async function peekText(response: Response): Promise<string | undefined> {
  try {
    // A reading method other than Response's own holds the bytes this package's clients read already.
    const readAlready = response.bodyUsed || response.text !== Response.prototype.text;
    return readAlready ? await response.text() : await response.clone().text();
  } catch {
    return undefined;
  }
}
