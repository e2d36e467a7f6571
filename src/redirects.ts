// The redirect policy: no request this package makes follows a redirect. Requests are sent with
// `redirect: "manual"`, and an answer that would take the request elsewhere becomes an error
// that names the target's origin (never its path or query). Following would hand the
// credentials (X-Auth-Token, X-Security-Token, a signature, an IAM password body) to whichever
// host the Location names, possibly over plain http; neither VBS, CBR nor IAM redirects API calls.
//
// What counts as a redirect:
// - 301, 302, 303, 307 or 308 with a Location header (without one it is an ordinary answer, as
//   is any other 3xx: CBR's version list answers 300 with a body);
// - a browser's opaque-redirect answer (status 0), whose target the browser does not disclose;
// - an answer a custom fetch followed a redirect to anyway (`response.redirected`).

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface Redirect {
  /** The status that asked for the redirect; 0 for a browser's opaque redirect. */
  status: number;
  /** The target's origin (`https://host:port`), or undefined when it is not known. */
  target: string | undefined;
}

function originOf(location: string, base: string): string | undefined {
  try {
    const url = new URL(location, base);
    return url.origin === "null" ? url.protocol : url.origin;
  } catch {
    return undefined;
  }
}

/**
 * The redirect this answer asks for, or undefined when it is an ordinary answer. `redirectedTo`:
 * the URL a custom fetch followed a redirect to (a Response's `redirected`).
 */
export function redirectOf(
  response: { status: number; headers: Headers; type?: string; redirected?: boolean; url?: string },
  requestUrl: string,
  redirectedTo?: string,
): Redirect | undefined {
  // A browser's opaque redirect: status 0, target not disclosed.
  if (response.type === "opaqueredirect" || response.status === 0) return { status: 0, target: undefined };
  if (REDIRECT_STATUSES.has(response.status)) {
    const location = response.headers.get("location");
    if (location !== null) return { status: response.status, target: originOf(location, requestUrl) };
  }
  const followed = redirectedTo ?? (response.redirected ? response.url : undefined);
  if (followed !== undefined) return { status: response.status, target: originOf(followed, requestUrl) };
  return undefined;
}

export function describeRedirect(redirect: Redirect): string {
  const status = redirect.status ? `HTTP ${redirect.status} ` : "";
  const target = redirect.target ?? "a location that is not disclosed";
  return `${status}redirect to ${target} refused: requests never follow redirects, so credentials stay with the configured origin`;
}

/** The request set not to follow redirects; a copy only when it was not set so already. */
export function withoutRedirects(request: Request): Request {
  return request.redirect === "manual" ? request : new Request(request, { redirect: "manual" });
}
