/** The category tree and tag details a WXR channel defines (`wp:category`, `wp:tag`, `wp:term`), as termpress keeps them. */
import slugify from '@sindresorhus/slugify';
import { MAX_TERM_LENGTH } from '../core/limits.js';
import { termSlugFrom, type CategoryTerm, type TagTerm, type Taxonomy } from '../core/taxonomy.js';
import { decodeHtmlText } from './entities.js';
import type { RawChannelTerm } from './raw-item.js';

const MAX_DESCRIPTION = 10_000;

function text(fields: Record<string, string>, name: string): string {
  return (fields[name] ?? '').trim();
}

/** A term's slug: its own (percent-decoded, made safe), else one made from its name, else its id. */
function slugOf(slug: string, name: string, id: string): string {
  return termSlugFrom(slug) || termSlugFrom(slugify(name)) || `term-${id.replace(/\D/g, '').slice(0, 12) || 'x'}`;
}

/** The terms of a channel; terms without a name, repeated slugs and other taxonomies are left out. */
export function channelTaxonomy(terms: readonly RawChannelTerm[]): Taxonomy {
  const categories: CategoryTerm[] = [];
  const tags: TagTerm[] = [];
  const seen = { category: new Set<string>(), tag: new Set<string>() };
  for (const { kind, fields } of terms) {
    const taxonomy = kind === 'term' ? text(fields, 'wp:term_taxonomy') : kind === 'category' ? 'category' : 'post_tag';
    const id = text(fields, 'wp:term_id');
    const rawName = kind === 'category' ? fields['wp:cat_name'] : kind === 'tag' ? fields['wp:tag_name'] : fields['wp:term_name'];
    const name = decodeHtmlText(rawName ?? '')
      .trim()
      .slice(0, MAX_TERM_LENGTH);
    if (name === '') continue;
    const description = decodeHtmlText(
      (kind === 'category'
        ? fields['wp:category_description']
        : kind === 'tag'
          ? fields['wp:tag_description']
          : fields['wp:term_description']) ?? '',
    ).slice(0, MAX_DESCRIPTION);
    const legacy = id === '' ? undefined : { wpTermId: id };
    if (taxonomy === 'category') {
      const slug = slugOf(kind === 'term' ? text(fields, 'wp:term_slug') : text(fields, 'wp:category_nicename'), name, id);
      if (seen.category.has(slug)) continue;
      seen.category.add(slug);
      const parent = termSlugFrom(kind === 'term' ? text(fields, 'wp:term_parent') : text(fields, 'wp:category_parent'));
      categories.push({ slug, name, parent: parent === '' || parent === slug ? null : parent, description, ...(legacy ? { legacy } : {}) });
    } else if (taxonomy === 'post_tag') {
      const slug = slugOf(kind === 'term' ? text(fields, 'wp:term_slug') : text(fields, 'wp:tag_slug'), name, id);
      if (seen.tag.has(slug)) continue;
      seen.tag.add(slug);
      tags.push({ slug, name, description, ...(legacy ? { legacy } : {}) });
    }
  }
  return { categories, tags };
}
