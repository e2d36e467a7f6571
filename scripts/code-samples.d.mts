export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}
export function codeSamples(doc: unknown, service: "vbs" | "cbr", path: string, method: string, operation: unknown): CodeSample[];
