import { spawn } from 'node:child_process';
import { BIN, Sandbox } from './helpers/cli.js';

describe('termpress serve', () => {
  let sb: Sandbox;
  afterEach(() => sb.cleanup());

  it('builds, then serves the site on this machine only, never outside its folder', async () => {
    sb = new Sandbox();
    sb.initBlog('--title', 'Served');
    const id = sb.ok(['post', 'create', '--title', 'On the web', '--porcelain']).trim();
    sb.ok(['post', 'publish', id]);
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: sb.cwd, env: sb.env });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (match) resolve(match[0]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const home = await fetch(url);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toMatch(/text\/html/);
      expect(await home.text()).toContain('On the web');
      const missing = await fetch(`${url}no/such/page/`);
      expect(missing.status).toBe(404);
      const escape = await fetch(`${url}..%2f..%2f..%2fetc%2fpasswd`);
      expect(escape.status).toBe(404);
      expect(await escape.text()).not.toContain('root:');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
