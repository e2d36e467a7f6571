// The one home of redaction: objects that close over or hold secrets describe themselves without
// them in JSON.stringify and in Node's util.inspect / console.log, and URLs lose user info and
// secret-looking query values before they are kept in an error or a log record.

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** Gives `obj` non-enumerable `toJSON` and util.inspect views (spreading and Object.keys ignore them). */
function presentAs(obj: object, view: () => unknown, inspected: (inspect: (value: unknown, options: object) => string, options: object) => string): void {
  Object.defineProperty(obj, "toJSON", { value: view, enumerable: false });
  Object.defineProperty(obj, inspectSymbol, {
    value: (_depth: number, options: object, inspect: (value: unknown, options: object) => string) => inspected(inspect, options),
    enumerable: false,
  });
}

/** Makes `JSON.stringify(strategy)` show only `{ type }` and `util.inspect(strategy)` only `[type auth]`. */
export function redactedInspect<T extends { type: string }>(obj: T): T {
  presentAs(obj, () => ({ type: obj.type }), () => `[${obj.type} auth]`);
  return obj;
}

/** JSON.stringify / util.inspect show `[redacted]` for the set fields among `secrets`, `label` before the inspected object. */
export function redactFields<T extends object>(obj: T, label: string, secrets: ReadonlySet<string>): T {
  const safe = () => {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(obj)) copy[key] = secrets.has(key) && value !== undefined ? "[redacted]" : value;
    return copy;
  };
  presentAs(obj, safe, (inspect, options) => `${label} ${inspect(safe(), options)}`);
  return obj;
}

const SECRET_PARAM = /token|signature|secret|password|passwd|credential|^sig$|^key$|access_?key|auth/i;

/** The URL without user info, with the values of secret-looking query parameters replaced. */
export function redactUrl(url: string): string {
  if (!url.includes("@") && !url.includes("?")) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\?.*$/, "");
  }
  parsed.username = "";
  parsed.password = "";
  const entries = [...parsed.searchParams];
  if (entries.some(([name]) => SECRET_PARAM.test(name))) {
    parsed.search = new URLSearchParams(entries.map(([name, value]) => [name, SECRET_PARAM.test(name) ? "REDACTED" : value])).toString();
  }
  return parsed.toString();
}
