export const RESERVED_NAMES: ReadonlySet<string>;
export function checkOperationNames(service: string, operations: Record<string, { operationId: unknown }>): void;
