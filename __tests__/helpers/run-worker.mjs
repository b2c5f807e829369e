// Runs termpress's compiled program in a worker thread for Sandbox.run: the same code as
// bin/termpress.js, without starting a process per call. The sandbox's folder and environment are
// passed in as the program's context; process.cwd() answers the sandbox's folder during a run, since
// path.resolve and the paths printed relative to the working folder read it (a worker cannot chdir).
import { PassThrough, Readable } from 'node:stream';
import { runAsWorker } from 'synckit';
import { main } from '../../dist/cli/main.js';

const realCwd = process.cwd;

function collector() {
  const stream = new PassThrough();
  stream.isTTY = false;
  const chunks = [];
  stream.on('data', (chunk) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

runAsWorker(async (args, cwd, env, input) => {
  const stdout = collector();
  const stderr = collector();
  const stdin = Readable.from(input === '' ? [] : [Buffer.from(input)]);
  stdin.isTTY = false;
  process.cwd = () => cwd;
  try {
    const code = await main(['node', 'termpress', ...args], { cwd, env, stdin, stdout: stdout.stream, stderr: stderr.stream });
    // Let the collectors take the last writes.
    await new Promise((resolve) => setImmediate(resolve));
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    process.cwd = realCwd;
  }
});
