export function waiterDefinitions(
  service: string,
  operations: Record<string, { operationId: string; async?: object; waiter?: object }>,
): Array<{ name: string; definition: Record<string, unknown> }>;
