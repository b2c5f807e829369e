/** A page listed in the sitemap: its absolute URL and, for posts, when it last changed. */
export interface SitemapEntry {
  url: string;
  lastmod?: string | undefined;
}

/** The sitemaps.org XML for the site's public pages, in the order given. */
export function renderSitemap(entries: readonly SitemapEntry[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const entry of entries) {
    lines.push('  <url>', `    <loc>${escapeXml(entry.url)}</loc>`);
    if (entry.lastmod) lines.push(`    <lastmod>${escapeXml(entry.lastmod)}</lastmod>`);
    lines.push('  </url>');
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}

/** The sitemap protocol asks for these five entity-escaped in every value. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
