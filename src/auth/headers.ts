// Adds credential headers to a request. The transport hands every attempt a Request of its own,
// so the headers are set in place: copying a Request costs ~11 µs on Node 20, a noticeable share
// of a loopback call. Requests whose headers are immutable are copied instead.

export function setHeaders(request: Request, headers: Record<string, string>): Request {
  try {
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    return request;
  } catch {
    const copy = new Headers(request.headers);
    for (const [name, value] of Object.entries(headers)) copy.set(name, value);
    return new Request(request, { headers: copy });
  }
}
