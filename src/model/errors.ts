/**
 * Failures a user can cause or meet, each with a stable code. The CLI maps them to exit codes in
 * one place (src/cli/exit.ts) and prints the message as one line; anything else is a bug.
 */
export class RepriseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags, specs or files: exit 2. */
export class UsageError extends RepriseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPRISE_USAGE', message, options);
  }
}

export class RecordingNotFoundError extends RepriseError {
  constructor(name: string, root: string) {
    super('REPRISE_NO_RECORDING', `no recording named "${name}" in ${root} (see: reprise ls --store ${root})`);
  }
}

export class StoreError extends RepriseError {}

export class TargetUnreachableError extends RepriseError {
  constructor(url: string, cause: string) {
    super('REPRISE_TARGET_UNREACHABLE', `target ${url} is unreachable: ${cause}`);
  }
}
