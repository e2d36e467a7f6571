export interface RunningMock {
  url: string;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startPrism(specFile: string, options?: { extraArgs?: string[]; timeoutMs?: number }): Promise<RunningMock>;
