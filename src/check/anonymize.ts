// Takes everything identifying out of what `check` keeps (payloads, pointers, values), so that a
// report or a recording can be attached to a public issue. Unlike src/redact.ts (which hides
// secrets in logs), this removes the account's data: IDs become stable stand-ins (the same ID is
// the same stand-in everywhere in one run, and keeps its shape, so a recording still validates);
// names, descriptions, tags, metadata, addresses, URLs and free text become placeholders.
// Kept as they are: numbers, booleans, timestamps, and short tokens such as statuses and types.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_ID = /^[0-9a-f]{16,64}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
/** A status, a type, a mode: letters first, no spaces, no dots (hostnames), short. */
const TOKEN = /^[A-Za-z][A-Za-z0-9_:+-]{0,39}$/;
const ID_KEY = /(^|_)(id|ids|uuid|marker)$/i;
const TEXT_KEY =
  /(^|_)(name|names|description|desc|message|msg|reason|remark|comment|alias|label|email|phone|user|owner|url|uri|href|link|endpoint|address|addresses|ip|host|hostname|mac|path|account|domain|info|detail|details|error)$/i;
/** Containers whose keys and values are the user's own words. */
const FREE_FORM =
  /^(tags|sys_tags|tag|metadata|service_metadata|volume_image_metadata|bind_rules|matches|match|tags_any|not_tags|not_tags_any|extra_info)$/i;

export class Anonymizer {
  readonly #standIns = new Map<string, string>();
  readonly #counters = new Map<string, number>();

  /** A stable stand-in of `value` of `kind`, shaped like the original where the shape matters. */
  standIn(kind: "uuid" | "hex" | "id" | "name" | "text" | "tag-key" | "tag-value" | "url" | "address", value: string): string {
    const key = `${kind}\u0000${value}`;
    const known = this.#standIns.get(key);
    if (known) return known;
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    const made =
      kind === "uuid"
        ? `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`
        : kind === "hex"
          ? n.toString(16).padStart(value.length, "0")
          : kind === "url"
            ? `https://redacted.invalid/${n}`
            : kind === "address"
              ? `192.0.2.${n % 255}`
              : `${kind}-${n}`;
    this.#standIns.set(key, made);
    return made;
  }

  /** A copy of a JSON value with nothing identifying left. */
  payload(value: unknown): unknown {
    return this.#walk(value, "", false);
  }

  /** A string value found under `key`: kept, replaced by a stand-in, or by a placeholder. */
  scalar(key: string, value: string, freeForm = false): string {
    if (UUID.test(value)) return this.standIn("uuid", value);
    if (ID_KEY.test(key) || (HEX_ID.test(value) && /\d/.test(value) && /[a-f]/i.test(value))) {
      return HEX_ID.test(value) ? this.standIn("hex", value) : this.standIn("id", value);
    }
    if (freeForm) return this.standIn(key === "key" ? "tag-key" : "tag-value", value);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return this.standIn("url", value);
    if (/^\d{1,3}(\.\d{1,3}){3}(\/\d+)?$/.test(value) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(value)) return this.standIn("address", value);
    if (TEXT_KEY.test(key)) return this.standIn(/name/i.test(key) ? "name" : "text", value);
    // Codes (error codes, spec codes) are the service's vocabulary, dotted: `BackupService.6302`.
    if (/(^|_)code$/i.test(key) && /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/.test(value)) return value;
    if (TIMESTAMP.test(value) || (TOKEN.test(value) && !value.includes("@"))) return value;
    return this.standIn("text", value);
  }

  /**
   * A JSON pointer with array indexes as `*` and the keys of free-form containers replaced, so
   * that issues at the same place of different items count together and no user key shows.
   */
  pointer(pointer: string): string {
    const prefix = /^(header|query|path):[^/]*/.exec(pointer)?.[0] ?? "";
    const parts = pointer.slice(prefix.length).split("/").slice(1);
    let freeForm = false;
    const out = parts.map((part) => {
      const raw = part.replace(/~1/g, "/").replace(/~0/g, "~");
      if (/^\d+$/.test(raw)) return "*";
      const shown = freeForm && raw !== "key" && raw !== "value" && raw !== "values" ? "*" : part;
      freeForm ||= FREE_FORM.test(raw);
      return shown;
    });
    return prefix + (out.length ? `/${out.join("/")}` : "");
  }

  #walk(value: unknown, key: string, freeForm: boolean): unknown {
    if (typeof value === "string") return this.scalar(key, value, freeForm);
    if (Array.isArray(value)) return value.map((item) => this.#walk(item, key, freeForm));
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    const tagList = freeForm && "key" in value;
    for (const [k, v] of Object.entries(value)) {
      // In a map of the user's own keys (metadata), the keys themselves are user data.
      const shownKey = freeForm && !tagList && !/^(key|value|values)$/.test(k) ? this.standIn("tag-key", k) : k;
      out[shownKey] = this.#walk(v, k, freeForm || FREE_FORM.test(k));
    }
    return out;
  }
}

/**
 * Whether a value seen at `pointer` may be shown in a report: an enumerated field's value (a
 * status the spec does not list), or a short status-like token, never anything at an ID or text
 * field or inside free-form containers.
 */
export function showableValue(pointer: string, keyword: string, value: unknown): boolean {
  if (typeof value !== "string" && typeof value !== "number") return keyword === "status";
  const segments = pointer.split("/");
  const key = segments.at(-1) ?? "";
  if (segments.some((s) => FREE_FORM.test(s)) || ID_KEY.test(key) || TEXT_KEY.test(key)) return false;
  if (keyword === "status") return true;
  if (typeof value !== "string" || UUID.test(value) || /^[0-9a-f]{16,}$/i.test(value)) return false;
  if (keyword === "enum" || keyword === "x-open-enum" || keyword === "const") return value.length <= 64 && !/\s/.test(value);
  return TOKEN.test(value) && value.length <= 24;
}
