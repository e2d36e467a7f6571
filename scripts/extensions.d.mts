/** Throws one error listing every malformed vendor extension of the operations (keyed "METHOD /path"). */
export function validateExtensions(
  service: string,
  operations: Record<string, { operationId: string; pagination?: unknown; async?: unknown; readOnly?: unknown }>,
): void;
