// The public surface of `otc-backup-api/validate`: a short list, so that additions are deliberate.
import { expect, it } from "vitest";
import * as validate from "../../src/validate/index.js";

it("otc-backup-api/validate exports the validators, the middleware and its error", () => {
  expect(Object.keys(validate).sort()).toEqual(["ResponseValidationError", "validateRequest", "validateResponse", "validationMiddleware"]);
});
