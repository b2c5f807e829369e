import type { Screening } from '../../core/moderation.js';

/** How long a reader's comment waits for Akismet before it is held instead. */
export const AKISMET_TIMEOUT_MS = 3000;

/** What Akismet is told of a comment (its comment-check fields). */
export interface AkismetComment {
  blog: string;
  ip: string;
  userAgent: string;
  referrer: string;
  permalink: string;
  author: string;
  email: string;
  url: string;
  content: string;
}

/**
 * Asks an Akismet-compatible service whether a comment is spam (its comment-check call). Written
 * over fetch rather than with akismet-api: that client reaches the service through a host name made
 * of the key (key.rest.akismet.com), so it cannot be pointed at another service or a local stand-in,
 * and it has no time limit. Any failure (down, slow, an invalid key, an answer that is not
 * "true" or "false") is a verdict of its own: the comment is held, never lost, never approved unseen.
 */
export async function askAkismet(
  service: string,
  key: string,
  comment: AkismetComment,
  timeoutMs = AKISMET_TIMEOUT_MS,
): Promise<Screening> {
  const form = new URLSearchParams({
    api_key: key,
    blog: comment.blog,
    user_ip: comment.ip,
    user_agent: comment.userAgent,
    referrer: comment.referrer,
    permalink: comment.permalink,
    comment_type: 'comment',
    comment_author: comment.author,
    comment_author_email: comment.email,
    comment_author_url: comment.url,
    comment_content: comment.content,
    blog_charset: 'UTF-8',
  });
  let answer: string;
  try {
    const response = await fetch(new URL('1.1/comment-check', service), {
      method: 'POST',
      body: form,
      headers: { 'user-agent': 'termpress | Akismet client' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    answer = (await response.text()).trim();
    if (!response.ok) return unavailable(`answered ${response.status}`);
    if (answer === 'invalid') return unavailable('refused the API key: check moderation.akismetKey');
  } catch (error) {
    const name = (error as Error).name;
    return unavailable(
      name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs / 1000} s` : 'could not be reached',
    );
  }
  if (answer === 'true') return { verdict: 'spam', reason: 'Akismet: spam' };
  if (answer === 'false') return { verdict: 'ham', reason: 'Akismet: not spam' };
  return unavailable('gave an answer that is neither spam nor not spam');
}

function unavailable(why: string): Screening {
  return { verdict: 'unavailable', reason: `Akismet ${why}: held for a person to look at` };
}
