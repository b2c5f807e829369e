import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { buildSite } from '../src/site/build.js';
import { EMBED_SANDBOX, sanitizeCommentBody, sanitizePostHtml } from '../src/site/sanitize.js';
import { makeComment, makePost, makeSettings, tempDir } from './fixtures/site/factory.js';

/** Payloads from the usual XSS cheat sheets: tags, handlers, URL schemes, broken and nested markup. */
const HOSTILE = [
  '<script>alert("body")</script>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt&#58;alert(1)">entity</a>',
  '<a href="java\tscript:alert(1)">tab</a>',
  '<a href="data:text/html,<script>alert(1)</script>">data</a>',
  '<a href="vbscript:msgbox(1)">vb</a>',
  '<a href="https://ok.example/" onclick="alert(1)" style="position:fixed">styled</a>',
  '<b onmouseover=alert(1)>bold</b>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '"><script>alert(1)</script>',
  '<blockquote cite="javascript:alert(1)">quoted</blockquote>',
  '<q cite="https://ok.example/">fine</q>',
  '<style>*{display:none}</style>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<form action="https://evil.example/"><input name=x><button>go</button></form>',
  '<b>unclosed <i>tags',
  '<!-- <script>alert(1)</script> -->',
  '\u001b[31mred\u001b[0m and \u0007 bell',
];

/** Whether HTML contains anything a browser would run: script, handlers, script URLs, frames. */
function executable(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<([a-z][a-z0-9-]*)((?:\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/gi)) {
    const [, tag, attributes] = match as unknown as [string, string, string];
    if (/^(script|iframe|object|embed|svg|math|style|form|input|button|base|frame|frameset)$/i.test(tag)) found.push(`<${tag}>`);
    for (const attribute of attributes.matchAll(/([^\s=>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const name = (attribute[1] ?? '').toLowerCase();
      const value = (attribute[2] ?? '')
        .replace(/^["']|["']$/g, '')
        .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
        .replace(/&colon;/gi, ':')
        .replace(/\s/g, '');
      if (name.startsWith('on')) found.push(`${name} on <${tag}>`);
      if (name === 'style') found.push(`style on <${tag}>`);
      if (['href', 'src', 'cite', 'action', 'formaction'].includes(name) && /^(javascript|vbscript|data):/i.test(value))
        found.push(`${value} in <${tag}>`);
    }
  }
  return found;
}

describe('hostile comments', () => {
  it('has a detector that sees executable markup', () => {
    expect(executable('<a href="java&#115;cript:x" onclick="y">a</a><script>z</script><p title="onclick=1">ok</p>')).toEqual([
      'javascript:x in <a>',
      'onclick on <a>',
      '<script>',
    ]);
  });

  it.each(HOSTILE.map((payload) => [payload]))('%j never becomes executable markup', (payload) => {
    const html = sanitizeCommentBody(payload);
    expect(executable(html)).toEqual([]);
    expect(html).not.toMatch(/\u001b|\u0007/);
  });

  it('keeps WordPress allowed tags and marks links nofollow ugc', () => {
    const html = sanitizeCommentBody(
      'I <strong>agree</strong>, see <a href="https://ok.example/a?b=1&c=2" title="t" rel="me">this</a> and <code>x < y</code>.\n\nNew <abbr title="paragraph">para</abbr>.\nLine',
    );
    expect(html).toBe(
      '<p>I <strong>agree</strong>, see <a href="https://ok.example/a?b=1&amp;c=2" title="t" rel="nofollow ugc">this</a> and <code>x &lt; y</code>.</p>\n<p>New <abbr title="paragraph">para</abbr>.<br />\nLine</p>',
    );
  });

  it('shows disallowed markup as text rather than dropping what the reader wrote', () => {
    expect(sanitizeCommentBody('use <div> for layout')).toBe('<p>use &lt;div&gt; for layout</p>');
  });

  it('survives every field of a built page: name, url, body', async () => {
    const comments = HOSTILE.map((payload, i) =>
      makeComment({
        author: payload,
        url: i % 2 === 0 ? 'javascript:alert(document.cookie)' : `https://ok.example/${i}?q="><script>alert(1)</script>`,
        body: payload,
        createdAt: new Date(Date.UTC(2024, 4, 2, 0, i)).toISOString(),
      }),
    );
    const post = makePost({
      slug: 'hostile',
      title: '<script>alert("title")</script>',
      categories: ['<img src=x onerror=alert(1)>'],
      tags: ['"><svg onload=alert(1)>'],
      comments,
    });
    const out = await tempDir('site-hostile');
    await buildSite({
      settings: makeSettings({ title: '</title><script>alert(1)</script>' }),
      posts: [post],
      blogDir: await tempDir('b'),
      outDir: out,
      now: new Date('2024-06-01T00:00:00Z'),
    });
    for (const file of ['2024/05/01/hostile/index.html', 'index.html', 'archives/index.html']) {
      const page = await readFile(join(out, file), 'utf8');
      // The theme's own Like and "Leave a Reply" forms are the only forms; what readers wrote is shown before the second.
      const themeForms =
        /<div id="likes" class="post-likes">\s*<form action="[^"]*_termpress\/like"[\s\S]*?<\/form>|<div id="respond" class="comment-respond">[\s\S]*?<\/form>/g;
      expect(executable(page.replace(themeForms, ''))).toEqual([]);
    }
    const page = await readFile(join(out, '2024/05/01/hostile/index.html'), 'utf8');
    expect(page).toContain(`${HOSTILE.length} comments`);
    expect(page).not.toContain('href="javascript:');
    expect(page).toContain('href="https://ok.example/1?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"');
    // Feeds stay well-formed XML whatever the text, and JSON stays JSON.
    for (const file of ['feed.xml', 'atom.xml', 'sitemap.xml']) {
      const xml = await readFile(join(out, file), 'utf8');
      expect(() => new SaxesParser().write(xml).close()).not.toThrow();
    }
    expect(() => JSON.parse(readFileSync(join(out, 'feed.json'), 'utf8'))).not.toThrow();
  });

  it('keeps feeds well-formed with XML-hostile titles, names and bodies', async () => {
    const nasty = 'A ]]> B ]]> C & D &amp; E < F > G "H" \'I\' \u0001\u0008 \uD800 lone';
    const post = makePost({
      slug: 'nasty',
      title: nasty,
      author: nasty,
      categories: [nasty],
      tags: ['R&D'],
      body: `${nasty}\n\n<p>]]></p>`,
      excerpt: '',
    });
    const out = await tempDir('site-xml');
    await buildSite({
      settings: makeSettings({ title: nasty, description: nasty, author: nasty }),
      posts: [post],
      blogDir: await tempDir('b'),
      outDir: out,
      now: new Date('2024-06-01T00:00:00Z'),
    });
    for (const file of ['feed.xml', 'atom.xml', 'sitemap.xml']) {
      const xml = await readFile(join(out, file), 'utf8');
      expect(() => new SaxesParser().write(xml).close()).not.toThrow();
    }
    const atom = await readFile(join(out, 'atom.xml'), 'utf8');
    expect(atom).toContain('term="R&amp;D"');
    const json = JSON.parse(await readFile(join(out, 'feed.json'), 'utf8')) as { title: string; items: { title: string }[] };
    expect(json.items[0]!.title).toContain('C & D &amp; E < F');
  });
});

describe('styles in comments', () => {
  const overlay = 'position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:99999;background:white';
  const tags = [
    'a href="https://ok.example/"',
    'abbr title="t"',
    'b',
    'blockquote',
    'cite',
    'code',
    'del',
    'em',
    'i',
    'q',
    's',
    'strike',
    'strong',
  ];

  it.each(tags.map((tag) => [tag]))('<%s style=...> keeps the tag and loses the style, in any spelling', (tag) => {
    const name = tag.split(' ')[0]!;
    for (const attribute of [`style="${overlay}"`, `STYLE='${overlay}'`, `style=${overlay.replaceAll(';', '')}`, `sTyLe = "${overlay}"`]) {
      const html = sanitizeCommentBody(`<${tag} ${attribute}>Click</${name}>`);
      expect(html).toContain(`<${name}`);
      expect(html).not.toMatch(/style\s*=/i);
    }
  });

  it('shows a style sheet as text, never as a <style> element', () => {
    for (const payload of [
      '<style>body{display:none}</style>',
      '<STYLE>*{}</STYLE>',
      '<style/>x',
      '<svg><style>*{}</style></svg>',
      '<link rel="stylesheet" href="https://evil.example/x.css">',
    ]) {
      const html = sanitizeCommentBody(payload);
      expect(html).not.toMatch(/<style|<link/i);
    }
  });
});

describe('embeds in posts', () => {
  /** The iframes of some HTML with their attributes, as a browser would read them. */
  const frames = (html: string) =>
    [...html.matchAll(/<iframe\b([^>]*)>/gi)].map((m) =>
      Object.fromEntries([...m[1]!.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!.toLowerCase(), a[2] ?? ''])),
    );

  it.each([
    ['https://www.youtube.com/embed/dQw4w9WgXcQ'],
    ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=3'],
    ['https://player.vimeo.com/video/76979871'],
    ['https://open.spotify.com/embed/track/abc'],
  ])('keeps a player from %s, sandboxed and without powerful permissions', (src) => {
    const html = sanitizePostHtml(
      `<iframe src="${src}" width="560" height="315" title="Player" allow="accelerometer; autoplay; camera; microphone 'src'; geolocation; payment; usb; clipboard-read; fullscreen; display-capture" sandbox="allow-top-navigation allow-forms" srcdoc="<script>alert(1)</script>" allowfullscreen></iframe>`,
    );
    const [frame, ...more] = frames(html);
    expect(more).toEqual([]);
    expect(frame).toMatchObject({
      src: src.replaceAll('&', '&amp;'),
      width: '560',
      height: '315',
      title: 'Player',
      sandbox: EMBED_SANDBOX,
    });
    expect(frame!['allow']!.split('; ').sort()).toEqual(['autoplay', 'fullscreen']);
    expect(frame).not.toHaveProperty('srcdoc');
    expect(EMBED_SANDBOX.split(' ')).not.toContain('allow-top-navigation');
  });

  it.each([
    ['a host not on the list', 'https://evil.example/login'],
    ['plain http', 'http://www.youtube.com/embed/x'],
    ['a protocol-relative address', '//www.youtube.com/embed/x'],
    ['a look-alike host', 'https://www.youtube.com.evil.example/embed/x'],
    ['a host hidden behind credentials', 'https://www.youtube.com@evil.example/embed/x'],
    ['a script address', 'javascript:alert(1)'],
    ['a data address', 'data:text/html,<script>alert(1)</script>'],
    ['a relative address', '/embed/x'],
    ['no address, only srcdoc', null],
  ])('drops a frame from %s', (_, src) => {
    const html = sanitizePostHtml(
      `<p>before</p><iframe ${src === null ? '' : `src="${src}"`} srcdoc="<script>alert(1)</script>" allow="camera; microphone">fallback</iframe><p>after</p>`,
    );
    expect(frames(html)).toEqual([]);
    expect(html).toContain('<p>before</p>');
    expect(html).toContain('<p>after</p>');
  });
});
