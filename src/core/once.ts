/**
 * A value made on the first call and returned from then on. The zod schemas are made this way: making
 * one costs (zod binds its methods on every schema), and a command uses few of those its modules define,
 * so schemas made as modules loaded were a good part of every command's start.
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}
