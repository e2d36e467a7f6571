// A value written without quotes that YAML reads as something other than text (012, 1e5, 0x1A,
// 1_000, true, yes, 2001-12-14), kept with the text that was written. YAML readers disagree about
// these: YAML 1.2 reads `012` as 12 and `1_000` as text, YAML 1.1 (PyYAML, so the OpenStack tools)
// as 10 and 1000. The file reader marks them; cloud-config.ts decides what each setting accepts.
export class UnquotedScalar {
  constructor(
    /** The text as written in the file. */
    readonly source: string,
    /** What a YAML reader turns it into. */
    readonly readAs: "number" | "boolean" | "date",
  ) {}
}
