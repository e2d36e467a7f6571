// The validators compiled at build time from the bundled specs (scripts/validators.mjs), and the
// one way to run one: with a context that collects open-enum notices.
import * as cbr from "../../generated/cbr.validators.js";
import * as vbs from "../../generated/vbs.validators.js";
import type { CompiledError, OpenEnumNotice, OperationValidators } from "../../generated/cbr.validators.js";
import type { ServiceName } from "./types.js";

export type { CompiledError, OpenEnumNotice, OperationValidators };

const modules = { cbr, vbs } as const;

/** An operation's validators; throws on a name the spec lacks (a mistake in the caller). */
export function operationValidators(service: ServiceName, operationId: string, caller: string): OperationValidators {
  const module = modules[service];
  if (!module) throw new TypeError(`${caller}: \`service\` must be "cbr" or "vbs"`);
  const found = Object.hasOwn(module.operations, operationId) ? module.operations[operationId] : undefined;
  if (!found) throw new TypeError(`${caller}: ${service} has no operation \`${operationId}\``);
  return found;
}

export interface RunResult {
  errors: CompiledError[];
  notices: OpenEnumNotice[];
}

export function run(service: ServiceName, index: number, data: unknown): RunResult {
  const validate = modules[service].validators[index];
  if (!validate) throw new Error(`no compiled validator ${service}#${index}: run npm run generate`);
  const context = { notices: [] as OpenEnumNotice[] };
  const valid = validate.call(context, data);
  return { errors: valid ? [] : [...(validate.errors ?? [])], notices: context.notices };
}

/** The operation a method and path template (openapi-fetch's schemaPath) belong to. */
export function operationAt(service: ServiceName, method: string, path: string): string | undefined {
  const wanted = method.toLowerCase();
  for (const [operationId, op] of Object.entries(modules[service].operations)) {
    if (op.method === wanted && op.path === path) return operationId;
  }
  return undefined;
}
