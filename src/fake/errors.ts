// The services' error bodies. CBR (and the API gateway in front of it) answer
// `{error_code, error_msg}`; VBS's own APIs `{error: {code, message}}`; VBS's OpenStack-native
// backups `{<faultName>: {code, message}}`. Which family an operation uses is read from the spec
// (its documented 400 response).
import type { LoadedSpec, SpecOperation } from "./spec.js";

export type ErrorFamily = "cbr" | "vbs" | "native";

export class FakeError extends Error {
  constructor(
    readonly status: number,
    /** The service's code (`BackupService.6105`, `VolumeBackup.0002`); native faults use the status. */
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const fail = (status: number, code: string, message: string): never => {
  throw new FakeError(status, code, message);
};

export function familyOf(spec: LoadedSpec, operation: SpecOperation | undefined): ErrorFamily {
  if (spec.service === "cbr") return "cbr";
  const ref: string = operation?.op.responses?.["400"]?.$ref ?? "";
  return ref.includes("Native") ? "native" : "vbs";
}

const NATIVE_FAULTS: Record<number, string> = {
  400: "badRequest",
  401: "unauthorized",
  403: "forbidden",
  404: "itemNotFound",
  405: "badMethod",
  409: "conflictingRequest",
  413: "overLimit",
  500: "computeFault",
  501: "notImplemented",
  502: "badGateway",
  503: "serviceUnavailable",
  504: "gatewayTimeout",
};

export function errorBody(family: ErrorFamily, status: number, code: string, message: string, requestId: string): unknown {
  if (family === "cbr")
    return code.startsWith("APIGW.")
      ? { error_code: code, error_msg: message, request_id: requestId }
      : { error_code: code, error_msg: message };
  if (family === "vbs") return { error: { code, message } };
  return { [NATIVE_FAULTS[status] ?? "computeFault"]: { code: status, message } };
}

/** The code each family uses for a malformed request, a missing resource, a missing token. */
export const CODES = {
  cbr: {
    badRequest: "BackupService.9900",
    notFound: "BackupService.6302",
    unauthorized: "APIGW.0301",
    forbidden: "BackupService.8600",
    conflict: "BackupService.0002",
    server: "BackupService.0002",
  },
  vbs: {
    badRequest: "VolumeBackup.0002",
    notFound: "VolumeBackup.0005",
    unauthorized: "AutoBackup.0003",
    forbidden: "VolumeBackup.0042",
    conflict: "AutoBackup.0225",
    server: "VolumeBackup.0900",
  },
  native: { badRequest: "400", notFound: "404", unauthorized: "401", forbidden: "403", conflict: "409", server: "500" },
} as const;
