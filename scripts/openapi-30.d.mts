export function toOpenApi30(doc: Record<string, unknown>): Record<string, unknown>;
