/** Imported WordPress posts shown as WordPress shows them: paragraphs, shortcodes, block comments. */
import { describe, expect, test } from '@jest/globals';
import { createBodyRenderer } from '../src/site/markdown.js';
import { shortcodeAttributes, wordpressContent, type WordPressMedia } from '../src/site/wordpress.js';
import type { Post } from '../src/core/types.js';

/**
 * What WordPress's own wpautop() gives for these texts, as its PHP test suite
 * (tests/phpunit/tests/formatting/wpAutop.php) and its output on a stock install state them.
 */
const WPAUTOP_CASES: [name: string, input: string, wordpress: string][] = [
  ['blank lines make paragraphs', 'one\n\ntwo', '<p>one</p>\n<p>two</p>\n'],
  ['a single newline is a line break', 'Line one\nLine two', '<p>Line one<br />\nLine two</p>\n'],
  ['three or more newlines are one paragraph break', 'a\n\n\n\nb', '<p>a</p>\n<p>b</p>\n'],
  ['CRLF line endings', 'a\r\n\r\nb\r\nc', '<p>a</p>\n<p>b<br />\nc</p>\n'],
  ['a blockquote holds a paragraph', '<blockquote>foo</blockquote>', '<blockquote><p>foo</p></blockquote>\n'],
  [
    'pre is left alone, text around it is wrapped',
    "Look at this code\n\n<pre>a\n\nb</pre>\n\nIsn't that cool?",
    "<p>Look at this code</p>\n<pre>a\n\nb</pre>\n<p>Isn't that cool?</p>\n",
  ],
  [
    'inline input elements stay in their paragraph',
    'Username: <input type="text" id="username" name="username" /><br />Password: <input type="password" id="password1" name="password1" />',
    '<p>Username: <input type="text" id="username" name="username" /><br />Password: <input type="password" id="password1" name="password1" /></p>\n',
  ],
  ['a list is a block, not a paragraph', '<ul>\n<li>a</li>\n<li>b</li>\n</ul>', '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n'],
  ['block elements are blocks', '<div>foo</div>\n\n<h2>Title</h2>\n\ntext', '<div>foo</div>\n<h2>Title</h2>\n<p>text</p>\n'],
  ['two br are a paragraph break', 'a<br /><br>b', '<p>a</p>\n<p>b</p>\n'],
  ['a newline inside a tag is not a break', '<a\nhref="x">link</a> here', '<p><a\nhref="x">link</a> here</p>\n'],
  ['only whitespace gives nothing', ' \n \n', ''],
];

const plain: WordPressMedia = { byWpId: () => undefined, attachedTo: () => [] };

describe('wpautop: paragraphs where WordPress makes them', () => {
  test.each(WPAUTOP_CASES)('%s', (_name, input, wordpress) => {
    expect(wordpressContent(input, '1', plain)).toBe(wordpress);
  });
});

describe('shortcodes and blocks', () => {
  test('a caption is a figure with its caption, alignment and width, not a paragraph', () => {
    const html = wordpressContent(
      '[caption id="attachment_7" align="alignleft" width="300"]<a href="big.jpg"><img src="x.jpg" alt="" /></a> A boat at dusk[/caption]\n\nAfter',
      '1',
      plain,
    );
    expect(html).toBe(
      '<figure class="wp-caption alignleft" style="width: 300px"><a href="big.jpg"><img src="x.jpg" alt="" /></a><figcaption class="wp-caption-text">A boat at dusk</figcaption></figure>\n<p>After</p>\n',
    );
  });

  test('a caption given as an attribute, and a hostile alignment and width, are text', () => {
    const html = wordpressContent(
      '[caption align="alignleft onload=x" width="3e2" caption="<b>Bold</b> text"]<img src="x.jpg" />[/caption]',
      '1',
      plain,
    );
    expect(html).toBe(
      '<figure class="wp-caption"><img src="x.jpg" /><figcaption class="wp-caption-text">&#60;b&#62;Bold&#60;/b&#62; text</figcaption></figure>\n',
    );
  });

  test('a gallery lists the images it names, else the ones attached to the post', () => {
    const media: WordPressMedia = {
      byWpId: (id) =>
        id === '10'
          ? { url: 'media/a.jpg', caption: 'First', alt: 'A' }
          : id === '11'
            ? { url: 'media/b.jpg', caption: '', alt: '' }
            : undefined,
      attachedTo: (postId) => (postId === '5' ? [{ url: 'media/c.jpg', caption: 'Attached', alt: 'C' }] : []),
    };
    expect(wordpressContent('[gallery ids="10,99,11" columns="2"]', '5', media)).toBe(
      '<ul class="gallery gallery-columns-2"><li class="gallery-item"><figure><a href="media/a.jpg"><img src="media/a.jpg" alt="A" loading="lazy"></a><figcaption>First</figcaption></figure></li>' +
        '<li class="gallery-item"><figure><a href="media/b.jpg"><img src="media/b.jpg" alt="" loading="lazy"></a></figure></li></ul>\n',
    );
    expect(wordpressContent('Before\n\n[gallery]', '5', media)).toContain('<img src="media/c.jpg" alt="C" loading="lazy">');
    expect(wordpressContent('[gallery]', '6', media)).toBe('\n');
  });

  test('an embed is a link; a script URL is not', () => {
    expect(wordpressContent('[embed]https://video.example/watch?v=1&t=2[/embed]', '1', plain)).toBe(
      '<p class="wp-embed"><a href="https://video.example/watch?v=1&#38;t=2">https://video.example/watch?v=1&#38;t=2</a></p>\n',
    );
    expect(wordpressContent('[embed]javascript:alert(1)[/embed]', '1', plain)).toBe('<p>javascript:alert(1)</p>\n');
  });

  test('block editor posts lose their block comments and get no extra paragraphs', () => {
    const body =
      '<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:image {"id":3,"sizeSlug":"large"} -->\n<figure class="wp-block-image"><img src="a.jpg"/></figure>\n<!-- /wp:image -->\n\n<!-- wp:separator /-->';
    expect(wordpressContent(body, '1', plain)).toBe('<p>One</p>\n\n<figure class="wp-block-image"><img src="a.jpg"/></figure>\n\n');
  });

  test('shortcode attributes in every quoting WordPress accepts', () => {
    expect(shortcodeAttributes(` ids="1,2" columns='3' link=file Size="large"`)).toEqual({
      ids: '1,2',
      columns: '3',
      link: 'file',
      size: 'large',
    });
  });
});

describe('the body renderer', () => {
  const post = (over: Partial<Post>): Post => ({
    id: 'abcdefgh',
    slug: 's',
    title: 't',
    author: '',
    status: 'published',
    categories: [],
    tags: [],
    excerpt: '',
    body: '',
    format: 'html',
    createdAt: '2020-01-01T00:00:00.000Z',
    updatedAt: '2020-01-01T00:00:00.000Z',
    publishedAt: '2020-01-01T00:00:00.000Z',
    commentStatus: 'open',
    sticky: false,
    revision: 1,
    comments: [],
    ...over,
  });

  test('imported HTML gets paragraphs and its first one is the excerpt; HTML written in termpress is kept as written', () => {
    const render = createBodyRenderer();
    const imported = render(
      post({ body: 'First line\nsecond line\n\nSecond paragraph <script>x()</script>', legacy: { source: 'wxr', wpPostId: '4' } }),
    );
    expect(imported.html).toBe('<p>First line<br />\nsecond line</p>\n<p>Second paragraph </p>\n');
    expect(imported.excerptText).toBe('First line second line');
    expect(render(post({ body: 'First line\n\nSecond' })).html).toBe('First line\n\nSecond');
  });
});
