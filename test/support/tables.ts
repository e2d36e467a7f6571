// Each service's generated tables (operationIds, x-pagination, x-async) joined into one table by
// "METHOD /path", as the helpers' types see it (CbrOperationTable), for tests that go through
// every operation.
import { cbrAsync, cbrOperationIds, cbrPagination } from "../../generated/cbr.meta.js";
import { vbsAsync, vbsOperationIds, vbsPagination } from "../../generated/vbs.meta.js";
import type { CbrOperationTable, VbsOperationTable } from "../../src/clients.js";
import type { OperationMeta } from "../../src/operations.js";

function join(
  ids: Record<string, string>,
  pagination: Record<string, unknown>,
  async: Record<string, unknown>,
): Record<string, OperationMeta> {
  const table: Record<string, OperationMeta> = {};
  for (const [key, operationId] of Object.entries(ids)) {
    table[key] = {
      operationId,
      ...(key in pagination && { pagination: pagination[key] }),
      ...(key in async && { async: async[key] }),
    } as OperationMeta;
  }
  return table;
}

export const cbrOperations = join(cbrOperationIds, cbrPagination, cbrAsync) as unknown as CbrOperationTable;
export const vbsOperations = join(vbsOperationIds, vbsPagination, vbsAsync) as unknown as VbsOperationTable;
