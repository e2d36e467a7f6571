// The shape of `x-pagination`, in one place: this table of keys is what the TypeScript type of
// the metadata is derived from, and what scripts/extensions.mjs checks the specs against
// (spec/EXTENSIONS.md describes each key). Adding a key or a style is one edit here.
// No imports: the generator loads this file on its own.

/** What each key holds: a property or parameter name, a positive count, or a flag. */
export const PAGINATION_KEYS = {
  style: "style",
  items: "name",
  id: "name",
  limit: "name",
  offset: "name",
  marker: "name",
  markerFrom: "name",
  next: "name",
  total: "name",
  maxLimit: "count",
  defaultLimit: "count",
  stringValues: "flag",
} as const;

/** Keys every style needs, and keys any style may have. */
export const PAGINATION_COMMON = {
  required: ["items", "limit"],
  optional: ["id", "total", "maxLimit", "defaultLimit", "stringValues"],
} as const;

/** Per style, the keys it needs and may have besides the common ones. */
export const PAGINATION_STYLES = {
  offset: { required: ["offset"], optional: [] },
  "body-offset": { required: ["offset"], optional: [] },
  marker: { required: ["marker", "markerFrom"], optional: ["offset"] },
  links: { required: ["marker", "next"], optional: ["offset"] },
} as const;

type Styles = typeof PAGINATION_STYLES;
type Key = keyof typeof PAGINATION_KEYS;
type ValueOf<K extends Key> = { style: never; name: string; count: number; flag: boolean }[(typeof PAGINATION_KEYS)[K]];
type Fields<Req extends readonly Key[], Opt extends readonly Key[]> = { readonly [K in Req[number]]: ValueOf<K> } & {
  readonly [K in Opt[number]]?: ValueOf<K>;
};
type StyleMeta<S extends keyof Styles> = { readonly style: S } & Fields<
  typeof PAGINATION_COMMON.required,
  typeof PAGINATION_COMMON.optional
> &
  Fields<Styles[S]["required"], Styles[S]["optional"]>;

/** `x-pagination` of a list operation: a union on `style`, each with the keys it needs. */
export type PaginationMeta = { [S in keyof Styles]: StyleMeta<S> }[keyof Styles];
export type PaginationStyle = PaginationMeta["style"];
