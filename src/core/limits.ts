/**
 * Every size limit of a blog's data, in one place. The schemas of src/core/schema.ts enforce them on
 * every way in (create, edit, comments, imports, restores, hand-edited files), so a post that one way
 * accepts no other way refuses, and nothing that comes in can make a build or a listing blow up.
 * Characters are Unicode code points, as WordPress counts them (mb_strlen).
 */

/** The largest post body, in bytes of UTF-8: far beyond any article, small enough for a JSON file and a build. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The largest excerpt, in bytes of UTF-8 (WordPress keeps it in a TEXT column, 64 KB). */
export const MAX_EXCERPT_BYTES = 64 * 1024;
/** The longest title, in characters. */
export const MAX_TITLE_LENGTH = 1000;
/**
 * The longest slug, in bytes of UTF-8: WordPress's post_name column holds 200 (percent-encoded, so a
 * decoded slug never has more), and a slug is a folder name of the built site, which may have 255.
 */
export const MAX_SLUG_BYTES = 200;
/** The longest name of a post's or a comment's author (and of the blog's), as WordPress's comment form allows. */
export const MAX_NAME_LENGTH = 245;
/** Categories on one post: each has a page listing the post with all of them, so the pages grow as their square. */
export const MAX_CATEGORIES = 100;
/** Tags on one post: far more than any post uses; each one is a page of the site. */
export const MAX_TAGS = 200;
/** The longest category or tag name, in characters (WordPress's terms.name column). */
export const MAX_TERM_LENGTH = 200;
/** The longest comment fields, in characters: WordPress's comment form limits, and its columns for ip and agent. */
export const MAX_EMAIL_LENGTH = 100;
export const MAX_URL_LENGTH = 200;
export const MAX_COMMENT_LENGTH = 65525;
export const MAX_IP_LENGTH = 100;
export const MAX_USER_AGENT_LENGTH = 512;
/** The highest revision: past it a number no longer counts up by one, so an edit could not be told from the last. */
export const MAX_REVISION = Number.MAX_SAFE_INTEGER;
