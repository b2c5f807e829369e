/**
 * The colour level for a stream: off with --no-color or NO_COLOR, forced with FORCE_COLOR, otherwise on
 * only when the stream is a terminal, so that nothing colours a pipe.
 */
export function colorLevel(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean): 0 | 1 | 2 | 3 {
  if (!flag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const level = Number(force);
    return level >= 1 && level <= 3 ? (level as 1 | 2 | 3) : 1;
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return 1;
}
