// Configuration problems name the key to fix and where it was looked for, never its value.

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The key to set or fix, e.g. `clouds.otc.auth.password` or `OS_PASSWORD`. */
  declare readonly key: string;
  /** Where it was looked for: a file path or `environment`. */
  declare readonly source: string;

  constructor(message: string, key: string, source: string) {
    super(message);
    this.key = key;
    this.source = source;
  }

  toJSON() {
    return { name: this.name, message: this.message, key: this.key, source: this.source };
  }
}
