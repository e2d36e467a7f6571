// Keeps credentials out of logs: objects that close over secrets describe themselves without
// them in JSON.stringify and in Node's util.inspect / console.log.

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** Makes `JSON.stringify(obj)` and `util.inspect(obj)` show only `{ type }`. */
export function redactedInspect<T extends { type: string }>(obj: T): T {
  const describe = () => ({ type: obj.type });
  Object.defineProperty(obj, "toJSON", { value: describe, enumerable: false });
  Object.defineProperty(obj, inspectSymbol, { value: () => `[${obj.type} auth]`, enumerable: false });
  return obj;
}
