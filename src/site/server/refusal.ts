import type { FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from '../sanitize.js';

export { escapeHtml };

/** Whether the client is a script asking for JSON rather than a browser following a form. */
export function wantsJson(request: FastifyRequest): boolean {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  const accept = String(request.headers.accept ?? '').toLowerCase();
  if (accept.includes('text/html')) return false;
  return type.startsWith('application/json') || accept.includes('application/json');
}

/** A small page of its own for a message to a reader: it never depends on the theme or the build. */
export function messagePage(title: string, paragraphs: string[], extra = ''): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>`,
    '<style>body{font:1.0625rem/1.6 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1.25rem}textarea{width:100%;min-height:10rem;font:inherit}</style>',
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    extra,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Answers a request the server will not carry out: a page a reader can read (with the text they
 * wrote, so that nothing typed is lost), or `{ error }` for a script. Nothing was stored.
 */
export function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  options: { text?: string | undefined; back?: string | undefined; extra?: string | undefined } = {},
): FastifyReply {
  reply.code(status).header('cache-control', 'no-store');
  if (wantsJson(request)) return reply.type('application/json; charset=utf-8').send({ error: message });
  const kept =
    options.text !== undefined && options.text.trim() !== ''
      ? `<p>Your text, to copy before you go back:</p>\n<textarea readonly>${escapeHtml(options.text)}</textarea>`
      : '';
  const back = options.back ? `<p><a href="${escapeHtml(options.back)}">Back to the post</a></p>` : '';
  return reply.type('text/html; charset=utf-8').send(messagePage(titleOf(status), [message], kept + (options.extra ?? '') + back));
}

function titleOf(status: number): string {
  if (status === 429) return 'Too many requests';
  if (status === 404) return 'Not found';
  if (status >= 500) return 'Something went wrong';
  return 'Not sent';
}
