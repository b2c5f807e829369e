import { main } from '../../src/cli/main.js';
import { terminalContext } from '../fixtures/drafting/scripted.js';
import type { RunResult, Sandbox } from './cli.js';

/**
 * Runs termpress in-process the way a script runs the binary (no terminal, the sandbox's environment):
 * the same program as bin/termpress.js without a process per call, for tests that try many inputs.
 */
export async function runInProcess(sb: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const term = terminalContext({ cwd: sb.cwd, env: { ...sb.env, ...env }, answers: [], tty: false });
  const code = await main(['node', 'termpress', ...args], term.ctx);
  return { code, stdout: term.stdout.text, stderr: term.stderr.text };
}
