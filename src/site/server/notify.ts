import type { Comment, Post, BlogSettings } from '../../core/types.js';
import { oneLine } from '../../core/text.js';
import { stripControls } from '../sanitize.js';

/** Tells the moderator of comments that wait for them. */
export interface Notifier {
  /** Sends word of a held comment by email and webhook, in the background: the reader's answer never waits for it. */
  held(entry: { comment: Comment; post: Post; link: string }): void;
  /** Waits a little for notices still being sent, then gives up on them. */
  close(): Promise<void>;
}

export interface NotifierOptions {
  settings: () => Promise<BlogSettings>;
  /** The user's own mail server (the user setting smtp), used when the blog names none. */
  userSmtp: string | undefined;
  log: (line: string) => void;
}

/** Waits between the webhook's attempts: a receiver that is restarting gets time to come back. */
export const WEBHOOK_BACKOFF_MS = [1000, 2000, 4000, 8000];
const WEBHOOK_TIMEOUT_MS = 5000;
const CLOSE_GRACE_MS = 5000;

/** The notice of a held comment as text: what it says, why it was held, and the commands that settle it. */
export function heldMessage(
  settings: BlogSettings,
  entry: { comment: Comment; post: Post; link: string },
): { subject: string; text: string } {
  const { comment, post } = entry;
  const title = oneLine(post.title) || '(untitled)';
  const reasons = comment.reasons.length > 0 ? comment.reasons.map((r) => `- ${oneLine(r)}`) : ['- (no reason recorded)'];
  const text = [
    `A new comment on the post "${title}" is waiting for your approval.`,
    entry.link,
    '',
    `Author: ${oneLine(comment.author) || '(no name)'}${comment.email ? ` <${oneLine(comment.email)}>` : ''}`,
    ...(comment.url ? [`Website: ${oneLine(comment.url)}`] : []),
    ...(comment.ip ? [`Address: ${oneLine(comment.ip)}`] : []),
    'Comment:',
    stripControls(comment.body).replace(/\r\n?/g, '\n'),
    '',
    'Why it was held:',
    ...reasons,
    '',
    `Approve it:       termpress comment approve ${comment.id}`,
    `Mark it as spam:  termpress comment spam ${comment.id}`,
    `Trash it:         termpress comment trash ${comment.id}`,
    'Or go through the queue: termpress moderate',
    '',
  ].join('\n');
  return { subject: `[${oneLine(settings.title)}] Please moderate: "${title}"`, text };
}

/** The notifier of a blog's settings: email through nodemailer, a webhook retried with back-off. */
export function createNotifier(options: NotifierOptions): Notifier {
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const email = async (settings: BlogSettings, message: { subject: string; text: string }) => {
    const server = settings.notify.smtp || options.userSmtp || '';
    if (settings.notify.email === '' || server === '') return;
    const { default: nodemailer } = await import('nodemailer');
    const address = new URL(server);
    const transport = nodemailer.createTransport({
      host: address.hostname,
      port: address.port === '' ? undefined : Number(address.port),
      secure: address.protocol === 'smtps:',
      auth:
        address.username === '' ? undefined : { user: decodeURIComponent(address.username), pass: decodeURIComponent(address.password) },
      // A mail server that does not answer must not keep a notice (and the server's stop) waiting for long.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    try {
      await transport.sendMail({
        from: settings.notify.from || settings.notify.email,
        to: settings.notify.email,
        subject: message.subject,
        text: message.text,
      });
    } catch (error) {
      options.log(`notification email not sent: ${oneLine((error as Error).message)}`);
    } finally {
      transport.close();
    }
  };

  const webhook = async (
    settings: BlogSettings,
    entry: { comment: Comment; post: Post; link: string },
    message: { subject: string; text: string },
  ) => {
    const url = settings.notify.webhook;
    if (url === '') return;
    const { comment, post } = entry;
    const body = JSON.stringify({
      event: 'comment.held',
      blog: { title: settings.title, url: settings.url },
      post: { id: post.id, slug: post.slug, title: post.title, url: entry.link },
      comment: {
        id: comment.id,
        parentId: comment.parentId,
        author: comment.author,
        email: comment.email,
        url: comment.url,
        body: comment.body,
        status: comment.status,
        reasons: comment.reasons,
        createdAt: comment.createdAt,
      },
      commands: {
        approve: `termpress comment approve ${comment.id}`,
        spam: `termpress comment spam ${comment.id}`,
        trash: `termpress comment trash ${comment.id}`,
      },
      text: message.text,
    });
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'termpress' },
          body,
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
          redirect: 'error',
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        failure = `answered ${response.status}`;
      } catch (error) {
        failure = oneLine((error as Error).message);
      }
      const wait = WEBHOOK_BACKOFF_MS[attempt];
      if (wait === undefined) {
        options.log(`notification webhook gave up after ${attempt + 1} attempts: ${failure}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };

  return {
    held(entry) {
      track(
        (async () => {
          const settings = await options.settings();
          const message = heldMessage(settings, entry);
          await Promise.all([email(settings, message), webhook(settings, entry, message)]);
        })().catch((error: unknown) => options.log(`notification not sent: ${oneLine((error as Error).message)}`)),
      );
    },
    async close() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(pending), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(timer);
    },
  };
}
