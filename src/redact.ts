// The one home of redaction: objects that close over or hold secrets describe themselves without
// them in JSON.stringify and in Node's util.inspect / console.log, and URLs lose user info and
// secret-looking query values before they are kept in an error or a log record.

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** Gives `obj` non-enumerable `toJSON` and util.inspect views (spreading and Object.keys ignore them). */
function presentAs(
  obj: object,
  view: () => unknown,
  inspected: (inspect: (value: unknown, options: object) => string, options: object) => string,
): void {
  Object.defineProperty(obj, "toJSON", { value: view, enumerable: false });
  Object.defineProperty(obj, inspectSymbol, {
    value: (_depth: number, options: object, inspect: (value: unknown, options: object) => string) => inspected(inspect, options),
    enumerable: false,
  });
}

/** Makes `JSON.stringify(strategy)` show only `{ type }` and `util.inspect(strategy)` only `[type auth]`. */
export function redactedInspect<T extends { type: string }>(obj: T): T {
  presentAs(
    obj,
    () => ({ type: obj.type }),
    () => `[${obj.type} auth]`,
  );
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

/**
 * Names whose values are secrets, compared without case and without `-`, `_`, `.` or spaces (so
 * `access_key`, `Access-Key` and `accesskey` are one name). OTC's AK/SK names and temporary
 * credentials first, then the usual names of tokens, passwords, signatures and keys.
 */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  // OTC / Huawei Cloud: AK/SK, temporary security tokens, IAM tokens
  "ak",
  "sk",
  "accesskey",
  "accesskeyid",
  "secretkey",
  "secretaccesskey",
  "securitytoken",
  "xsecuritytoken",
  "xauthtoken",
  "xsubjecttoken",
  "token",
  "authtoken",
  // the usual names elsewhere (OAuth, SAML, presigned URLs, API keys)
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "sessiontoken",
  "clienttoken",
  "clientsecret",
  "assertion",
  "samlresponse",
  "code",
  "password",
  "passwd",
  "pwd",
  "pass",
  "passphrase",
  "secret",
  "signature",
  "sig",
  "credential",
  "credentials",
  "key",
  "apikey",
  "privatekey",
  "authorization",
]);

/** Parts that make any longer name secret too (`X-Amz-Security-Token`, `db_password`, `my_api_key`). */
const SECRET_PARTS = /token|secret|passw|signature|credential|accesskey|apikey|privatekey|auth/;

/**
 * True for a query parameter or header name whose value must not be printed. Ids a user needs to
 * debug a call (`marker`, `vault_id`, `sort_key`, `project_id`) are not secret names.
 */
export function isSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_.\s]/g, "");
  return SECRET_NAMES.has(normalized) || SECRET_PARTS.test(normalized);
}

/**
 * The URL without user info and fragment, with the values of secret query parameters replaced.
 * A fragment never reaches a server, and one such as `#access_token=…` must not reach a log.
 */
export function redactUrl(url: string): string {
  if (!url.includes("@") && !url.includes("?") && !url.includes("#")) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/[?#].*$/, "");
  }
  parsed.username = "";
  parsed.password = "";
  parsed.hash = "";
  const entries = [...parsed.searchParams];
  if (entries.some(([name]) => isSecretName(name))) {
    parsed.search = new URLSearchParams(entries.map(([name, value]) => [name, isSecretName(name) ? "REDACTED" : value])).toString();
  }
  return parsed.toString();
}
