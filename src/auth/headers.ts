// Adds credential headers to a request. The transport hands every attempt a Request of its own,
// so the headers are set in place: copying a Request costs ~11 µs on Node 20, a noticeable share
// of a loopback call. Requests whose headers are immutable are copied instead.
//
// Values are checked first: `Headers` refuses line breaks, NUL and characters beyond Latin-1 with
// a TypeError that quotes the value (a credential), which must never reach an error or a log.
import { InvalidHeaderError } from "./errors.js";

const UNSENDABLE = /[\r\n\0]|[^\x00-\xff]/;

export function setHeaders(request: Request, headers: Record<string, string>, strategy: string): Request {
  for (const [name, value] of Object.entries(headers)) {
    if (UNSENDABLE.test(value)) throw new InvalidHeaderError(strategy, name);
  }
  try {
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    return request;
  } catch {
    const copy = new Headers(request.headers);
    for (const [name, value] of Object.entries(headers)) copy.set(name, value);
    return new Request(request, { headers: copy });
  }
}
