/** Typed errors carrying the exit code of the command-line contract; the entry point prints them. */

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  notFound: 3,
  refused: 4,
  storage: 5,
  cancelled: 130,
} as const;

export abstract class TermpressError extends Error {
  abstract readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags, values or input: exit 2. */
export class UsageError extends TermpressError {
  readonly exitCode = EXIT.usage;
}

/** A blog, post, comment or file that does not exist: exit 3. */
export class NotFoundError extends TermpressError {
  readonly exitCode = EXIT.notFound;
}

/** Refused by a rule: invalid transition, slug taken, comment refused: exit 4. */
export class RefusedError extends TermpressError {
  readonly exitCode = EXIT.refused;
}

/** A reader's comment refused by a moderation rule (nothing stored): the rule says which, for servers and scripts. */
export class CommentRefusedError extends RefusedError {
  constructor(
    message: string,
    readonly rule: string,
  ) {
    super(message);
  }
}

/** The post changed underneath an edit: exit 4, with where the edited text was kept. */
export class ConflictError extends RefusedError {
  constructor(
    message: string,
    readonly recoveryPath?: string,
  ) {
    super(message);
  }
}

/** Corrupt or unreadable files, a lock not acquired, a disk error: exit 5. */
export class StorageError extends TermpressError {
  readonly exitCode = EXIT.storage;
}

/** A symbolic link inside the blog (or a build's output) where a real file or folder belongs: exit 5. */
export class SymlinkError extends StorageError {}

/** The user cancelled (Ctrl-C at a prompt, "no" to a confirmation): exit 130. */
export class CancelledError extends TermpressError {
  readonly exitCode = EXIT.cancelled;
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

/** The exit code for any thrown value: typed errors carry theirs, anything else is internal. */
export function exitCodeOf(error: unknown): number {
  return error instanceof TermpressError ? error.exitCode : EXIT.internal;
}

/** Some items of a bulk command failed; each was already reported on its own line. */
export class PartialFailureError extends TermpressError {
  readonly reported = true;
  constructor(
    readonly exitCode: number,
    failed: number,
    total: number,
  ) {
    super(`${failed} of ${total} failed.`);
  }
}
