import sanitizeHtml from 'sanitize-html';
import { commentParagraphs, commentText, decodeEntities, plainCommentHtml } from './html-text.js';

export { escapeHtml, sanitizedHtmlToText, stripControls } from './html-text.js';

/**
 * The hosts whose players a post may embed, over https only: a frame from anywhere else could be any page
 * at all (a fake login form inside the blog's own page). Well-known video, audio and code players.
 */
export const EMBED_HOSTS = [
  'www.youtube.com',
  'youtube.com',
  'www.youtube-nocookie.com',
  'youtube-nocookie.com',
  'player.vimeo.com',
  'www.dailymotion.com',
  'geo.dailymotion.com',
  'open.spotify.com',
  'w.soundcloud.com',
  'bandcamp.com',
  'codepen.io',
] as const;

/** What an embedded player may do: run its own scripts and open links, never touch the page around it. */
export const EMBED_SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-presentation';

// Features a player may be allowed; camera, microphone, geolocation, payment, USB and the like never are.
const EMBED_FEATURES = new Set(['autoplay', 'encrypted-media', 'fullscreen', 'picture-in-picture']);

/** An embed's `allow` list with only the harmless features kept (each without an origin list). */
function harmlessFeatures(allow: string | undefined): string | undefined {
  const kept = (allow ?? '')
    .split(';')
    .map((entry) => entry.trim().split(/\s+/)[0]!.toLowerCase())
    .filter((feature) => EMBED_FEATURES.has(feature));
  return kept.length ? [...new Set(kept)].join('; ') : undefined;
}

/** The address of a frame when it is an https player of an allowed host, else undefined. */
function embedSource(src: string | undefined): string | undefined {
  if (src === undefined || !/^https:\/\//i.test(src.trim())) return undefined;
  try {
    const url = new URL(src.trim());
    return url.protocol === 'https:' &&
      (EMBED_HOSTS as readonly string[]).includes(url.hostname) &&
      url.username === '' &&
      url.password === ''
      ? url.href
      : undefined;
  } catch {
    return undefined;
  }
}

/** A frame kept only as a sandboxed player of an allowed host; any other loses its address and is then dropped. */
const embedFrame: sanitizeHtml.Transformer = (tagName, attribs) => {
  const src = embedSource(attribs['src']);
  if (src === undefined) return { tagName, attribs: {} };
  const allow = harmlessFeatures(attribs['allow']);
  const { allow: _allow, sandbox: _sandbox, srcdoc: _srcdoc, ...rest } = attribs;
  return { tagName, attribs: { ...rest, src, sandbox: EMBED_SANDBOX, ...(allow ? { allow } : {}) } };
};

/**
 * Post bodies are the authors' own, so layout, media and embeds stay; but imported HTML comes from
 * another system and other hands, so nothing that runs script survives: no script, style sheet,
 * form, object or event handler, links only to web, mail and phone schemes, and frames only as
 * sandboxed players of well-known hosts (EMBED_HOSTS) without powerful permissions.
 */
const POST_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    'img',
    'picture',
    'source',
    'video',
    'audio',
    'track',
    'iframe',
    'figure',
    'figcaption',
    'details',
    'summary',
    'del',
    'ins',
    's',
    'strike',
    'u',
    'mark',
    'small',
    'sub',
    'sup',
    'kbd',
    'samp',
    'var',
    'dfn',
    'time',
    'span',
    'div',
    'section',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'br',
    'wbr',
    'caption',
    'col',
    'colgroup',
    'center',
    'font',
    'big',
    'tt',
  ],
  allowedAttributes: {
    '*': ['id', 'class', 'title', 'lang', 'dir', 'style', 'align', 'aria-*', 'data-*', 'role'],
    a: ['href', 'name', 'target', 'rel', 'hreflang'],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading', 'decoding'],
    source: ['src', 'srcset', 'sizes', 'type', 'media'],
    video: ['src', 'poster', 'controls', 'width', 'height', 'loop', 'muted', 'playsinline', 'preload'],
    audio: ['src', 'controls', 'loop', 'muted', 'preload'],
    track: ['src', 'kind', 'srclang', 'label', 'default'],
    iframe: ['src', 'width', 'height', 'title', 'allow', 'allowfullscreen', 'frameborder', 'loading', 'referrerpolicy', 'sandbox'],
    ol: ['start', 'reversed', 'type'],
    li: ['value'],
    td: ['colspan', 'rowspan', 'headers'],
    th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
    col: ['span'],
    colgroup: ['span'],
    time: ['datetime'],
    del: ['datetime', 'cite'],
    ins: ['datetime', 'cite'],
    blockquote: ['cite'],
    q: ['cite'],
    abbr: ['title'],
    font: ['color', 'face', 'size'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'], source: ['http', 'https'], iframe: ['https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'poster'],
  allowProtocolRelative: true,
  allowedIframeHostnames: [...EMBED_HOSTS],
  allowIframeRelativeUrls: false,
  transformTags: { iframe: embedFrame },
  exclusiveFilter: (frame) => frame.tag === 'iframe' && !frame.attribs['src'],
  // Text inside these is code or markup for machines, never prose for readers.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'object', 'embed', 'applet'],
};

/** WordPress's comment tags (the default $allowedtags) and the attributes it lets through. */
export const COMMENT_TAGS = ['a', 'abbr', 'b', 'blockquote', 'cite', 'code', 'del', 'em', 'i', 'q', 's', 'strike', 'strong'];

/**
 * Anything else a reader types is text: a stray "<div>" shows as written rather than vanishing,
 * and it can never become markup.
 */
const COMMENT_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: COMMENT_TAGS,
  // A reader's styles could lay a comment over the whole page (position: fixed) and pass it off as the blog's.
  allowedStyles: {},
  allowedAttributes: { a: ['href', 'title', 'rel'], abbr: ['title'], blockquote: ['cite'], del: ['datetime'], q: ['cite'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc' }) },
};

/** Paragraphs and line breaks added to a sanitised comment, re-balanced so tags nest properly. */
const COMMENT_PARAGRAPH_OPTIONS: sanitizeHtml.IOptions = {
  ...COMMENT_OPTIONS,
  allowedTags: [...COMMENT_TAGS, 'p', 'br'],
};

const TEXT_ONLY: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {}, nonTextTags: POST_OPTIONS.nonTextTags };

/** A post body's HTML with everything that could run script removed. */
export function sanitizePostHtml(html: string): string {
  return sanitizeHtml(html, POST_OPTIONS);
}

/** A reader's comment as safe HTML: WordPress's allowed tags, nofollow ugc links, paragraphs. */
export function sanitizeCommentBody(body: string): string {
  return plainCommentHtml(body) ?? sanitizeCommentMarkup(body);
}

/** sanitizeCommentBody through the sanitiser whatever the comment holds (its plain comments skip it). */
export function sanitizeCommentMarkup(body: string): string {
  const clean = sanitizeHtml(commentText(body), COMMENT_OPTIONS);
  return sanitizeHtml(commentParagraphs(clean), COMMENT_PARAGRAPH_OPTIONS);
}

/** The plain text of an HTML fragment, entities decoded and whitespace collapsed. */
export function htmlToText(html: string): string {
  return decodeEntities(sanitizeHtml(html, TEXT_ONLY)).replace(/\s+/g, ' ').trim();
}
