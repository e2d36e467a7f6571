// Starts one Prism mock per bundled spec for the whole test run and always stops them.
// OTC_TEST_SPEC_VBS / OTC_TEST_SPEC_CBR point a mock at another bundle (e.g. a work in progress).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startPrism, type RunningMock } from "../../scripts/mock-server.mjs";

const SERVICES = ["vbs", "cbr"] as const;

export default async function setup(project: TestProject) {
  const mocks: RunningMock[] = [];
  const stopAll = () => Promise.all(mocks.map((m) => m.stop()));
  try {
    await Promise.all(
      SERVICES.map(async (service) => {
        const override = process.env[`OTC_TEST_SPEC_${service.toUpperCase()}`];
        const spec = override ?? fileURLToPath(new URL(`../../generated/${service}.openapi.json`, import.meta.url));
        if (!existsSync(spec)) {
          project.provide(`${service}MockUrl`, "");
          return;
        }
        const mock = await startPrism(spec);
        mocks.push(mock);
        project.provide(`${service}MockUrl`, mock.url);
      }),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}

declare module "vitest" {
  export interface ProvidedContext {
    vbsMockUrl: string;
    cbrMockUrl: string;
  }
}
