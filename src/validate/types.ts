/** The two APIs the package describes. */
export type ServiceName = "cbr" | "vbs";

/**
 * One place where a payload disagrees with the spec.
 *
 * `pointer` is a JSON pointer into the body (`""` is the body itself); for headers and
 * parameters it is `header:<name>`, `query:<name>`, `path:<name>` (followed by a pointer into the
 * value when it is structured). `expected` says what the spec says there, `actual` the JSON type
 * that came (or `missing`). `value` is the value itself when it is a scalar. `notice` marks what
 * the spec allows to change without notice: a value an open enum does not list yet, a property
 * the spec does not declare. Notices never fail a validation.
 */
export interface SchemaIssue {
  pointer: string;
  keyword: string;
  expected: string;
  actual: string;
  value?: unknown;
  notice?: true;
}
