/** The built binary on real-world WordPress exports: import, re-import and a broken file. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from '../helpers/cli.js';
import { sample } from './testdata.js';

describe('termpress import (end to end, real-world exports)', () => {
  let sb: Sandbox;
  let blog: string;

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
    blog = sb.initBlog('--title', 'Moved in', '--url', 'https://blog.example.com/');
  });
  afterEach(() => sb.cleanup());

  it('imports a WordPress export, and a second import adds nothing', () => {
    const first = sb.run(['import', sample('small-export.xml')]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Imported 6 posts and 5 pages from small-export.xml/);
    expect(first.stdout).toMatch(/posts: {4}1 draft, 5 published/);
    expect(first.stdout).toMatch(/pages: {4}1 draft, 4 published/);
    expect(first.stdout).toMatch(/categories: 30 new\n/);
    expect(first.stdout).toMatch(/skipped: {2}none/);
    expect(first.stderr).toMatch(/Private Post.*draft/);
    const files = readdirSync(path.join(blog, 'posts')).sort();
    const again = sb.run(['import', sample('small-export.xml'), '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      imported: 0,
      skipped: { present: 11 },
      categories: { imported: 0, present: 30 },
      warnings: [],
    });
    expect(readdirSync(path.join(blog, 'posts')).sort()).toEqual(files);
  });

  it('refuses a malformed export with exit 2 naming line and column, writing nothing', () => {
    const result = sb.run(['import', sample('malformed.xml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/malformed\.xml:\d+:\d+/);
    expect(readdirSync(path.join(blog, 'posts'))).toEqual([]);
  });
});
