/** `termpress category ...` and `termpress tag ...`: the taxonomy managed from the terminal, every post following in one step. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixture } from './fixtures/wxr/memory-target.js';
import { Sandbox } from './helpers/cli.js';

describe('termpress category and tag', () => {
  let sb: Sandbox;
  let blog: string;
  const categoriesOf = (title: string): string[] =>
    (JSON.parse(sb.ok(['post', 'list', '--format', 'json', '--status', 'all'])) as { title: string; categories: string[] }[]).find(
      (p) => p.title === title,
    )!.categories;
  const tree = () =>
    (JSON.parse(sb.ok(['category', 'list', '--json'])) as { slug: string; parent: string | null; count: number; stored: boolean }[]).map(
      (c) => [c.slug, c.parent, c.count],
    );

  beforeEach(() => {
    sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
    blog = sb.initBlog('--title', 'Harbour Lights', '--url', 'https://notes.example/');
    sb.ok(['import', fixture('site-1.2.xml')]);
  });
  afterEach(() => sb.cleanup());

  it('lists the tree with counts, in every format', () => {
    expect(tree()).toEqual([
      ['sports', null, 0],
      ['news-sports', 'sports', 1],
      ['uncategorized', null, 0],
      ['world', null, 1],
      ['news', 'world', 1],
    ]);
    const table = sb.ok(['category', 'list']);
    expect(table).toMatch(/\n— News +news +\/category\/world\/news\/ +1 +News from <em>abroad<\/em>\n/);
    expect(table).toMatch(/\nSports +sports +\/category\/sports\/ +0\n— News +news-sports +/);
    expect(sb.ok(['category', 'list', '--format', 'ids'])).toBe('sports\nnews-sports\nuncategorized\nworld\nnews\n');
    expect(sb.ok(['tag', 'list', '--format', 'csv', '--fields', 'slug,name,count,description'])).toBe(
      'slug,name,count,description\nboats,Boats,1,Anything that floats\n',
    );
  });

  it('renames, moves, merges and deletes, and every post follows in the same step', () => {
    // "World › News" becomes "Foreign": the name is no longer shared, so both posts name theirs by name again.
    expect(sb.ok(['category', 'rename', 'news', 'Foreign', '--slug', 'foreign'])).toBe(
      'Renamed category "Foreign" (foreign) (2 posts updated)\n',
    );
    expect(categoriesOf('Lamp lit at dusk')).toEqual(['Foreign']);
    expect(categoriesOf('Regatta results')).toEqual(['News']);
    sb.ok(['build']);
    expect(readFileSync(path.join(blog, 'public/category/world/foreign/index.html'), 'utf8')).toContain('Lamp lit at dusk');

    // A second "News" at the top makes the name shared again: the post under Sports is named by slug.
    expect(sb.ok(['category', 'create', 'News', '--description', 'Local news'])).toBe('Created category "News" (news) (1 post updated)\n');
    expect(categoriesOf('Regatta results')).toEqual(['news-sports']);
    expect(sb.run(['category', 'create', 'News']).code).toBe(4);

    expect(sb.run(['category', 'move', 'world', '--parent', 'foreign']).code).toBe(4);
    sb.ok(['category', 'move', 'foreign', '--top-level']);
    expect(sb.ok(['category', 'merge', 'foreign', 'world', '--dry-run'])).toBe(
      'Would merge into category "World" (world) (1 post would be updated)\n',
    );
    expect(categoriesOf('Lamp lit at dusk')).toEqual(['Foreign']);
    sb.ok(['category', 'merge', 'foreign', 'world']);
    expect(categoriesOf('Lamp lit at dusk')).toEqual(['World']);
    sb.ok(['category', 'delete', 'sports']);
    expect(tree()).toEqual([
      ['news', null, 0],
      ['news-sports', null, 1],
      ['uncategorized', null, 0],
      ['world', null, 2],
    ]);
    expect(sb.run(['category', 'delete', 'nothing-like-this']).code).toBe(3);
  });

  it('renames, merges and removes a tag on every post that has it', () => {
    sb.ok(['post', 'edit', 'fog-week', '--add-tag', 'weather,boats']);
    expect(sb.ok(['tag', 'merge', 'weather', 'Boats'])).toBe('Merged tag "weather" into "Boats" on 1 post\n');
    expect(sb.ok(['tag', 'rename', 'boats', 'Vessels'])).toBe('Renamed tag "boats" to "Vessels" on 2 posts\n');
    expect(JSON.parse(sb.ok(['post', 'show', 'fog-week', '--format', 'json'])).tags).toEqual(['Vessels']);
    expect(sb.ok(['tag', 'delete', 'vessels'])).toBe('Removed tag "vessels" from 2 posts\n');
    expect(sb.run(['tag', 'delete', 'vessels']).code).toBe(3);
  });
});
