import { oneLine } from '../core/text.js';
import type { CliContext } from './context.js';

/**
 * A progress line on stderr, redrawn in place, only when stderr is a terminal; at most ten redraws a
 * second so that a fast loop is not slowed by its own progress.
 */
export function progressLine(ctx: CliContext, label: string): { update(done: number, total: number): void; done(): void } {
  if (!ctx.stderr.isTTY) return { update() {}, done() {} };
  // The label may name a file, and a file name may hold anything; the line's own codes are written after.
  const shownLabel = oneLine(label);
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      ctx.stderr.write(`\r\u001b[2K${shownLabel} ${percent}%`);
    },
    done() {
      if (shown) ctx.stderr.write('\r\u001b[2K');
    },
  };
}
