// Reads a response's body in middleware without taking it from the caller.

/**
 * The body as text, leaving it readable for the caller: from a clone, or, when the body was read
 * already (this package's clients read it inside the attempt, under its timeout, and keep the
 * text on the response), from the response's own `text()`, which then hands out what was read.
 * `undefined` when the body can no longer be read.
 */
export async function peekText(response: Response): Promise<string | undefined> {
  try {
    return response.bodyUsed ? await response.text() : await response.clone().text();
  } catch {
    return undefined;
  }
}
