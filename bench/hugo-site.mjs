#!/usr/bin/env node
// A Hugo site made from a termpress blog's posts, with a theme comparable to termpress's default one:
// a page per post with its threaded approved comments and older/newer links, paginated lists (home,
// categories, tags, years and months, 10 posts a page with excerpts and comment counts), the archive
// index, RSS feeds and the sitemap. Raw HTML in Markdown is kept, as termpress keeps (and sanitises) it.
//   node bench/hugo-site.mjs <blog folder> <site folder>      then: hugo -s <site folder>
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONFIG = `baseURL = "https://bench.example/"
languageCode = "en"
title = "Bench"
paginate = 10
disableKinds = ["robotsTXT"]
[taxonomies]
  category = "categories"
  tag = "tags"
[permalinks]
  posts = "/:year/:month/:day/:slug/"
[markup.goldmark.renderer]
  unsafe = true
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]
`;

const LAYOUTS = {
  '_default/baseof.html': `<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} – {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Summary | plainify | truncate 160 }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head>
<body class="page-{{ .Kind }}">
<header class="site-header">
  <p class="site-title"><a href="{{ "/" | relURL }}" rel="home">{{ site.Title }}</a></p>
  <nav class="site-nav"><ul><li><a href="{{ "/" | relURL }}">Home</a></li><li><a href="{{ "/archives/" | relURL }}">Archives</a></li><li><a href="{{ "/index.xml" | relURL }}">Feed</a></li></ul></nav>
</header>
<main id="main" class="site-main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><p>{{ site.Title }} · <a href="{{ "/index.xml" | relURL }}">RSS</a></p></footer>
</body>
</html>
`,
  'partials/summary.html': `<article class="post-summary">
  <h2 class="entry-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="entry-meta">Posted on <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time> by {{ .Params.author }}
  {{ with .Params.categories }} in {{ range $i, $c := . }}{{ if $i }}, {{ end }}<a href="{{ (print "/categories/" ($c | urlize) "/") | relURL }}">{{ $c }}</a>{{ end }}{{ end }}</p>
  <div class="entry-summary">{{ .Summary }}</div>
  <p class="comments-link"><a href="{{ .RelPermalink }}#comments">{{ len (where (.Params.comments | default slice) "status" "approved") }} comments</a></p>
</article>
`,
  'partials/pagination.html': `{{ $p := .Paginator }}{{ if gt $p.TotalPages 1 }}<nav class="pagination"><p>Page {{ $p.PageNumber }} of {{ $p.TotalPages }}</p>
{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">Newer posts</a>{{ end }} {{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">Older posts</a>{{ end }}</nav>{{ end }}
`,
  'partials/comment.html': `<li class="comment depth-{{ .depth }}" id="comment-{{ .c.id }}">
  <p class="comment-meta">{{ .number }}. {{ with .c.url }}<a href="{{ . }}" rel="nofollow ugc">{{ $.c.author }}</a>{{ else }}{{ .c.author }}{{ end }} – {{ time.Format "January 2, 2006 at 15:04" .c.createdAt }}</p>
  <div class="comment-body">{{ .c.body | markdownify }}</div>
  {{ $children := where .all "parentId" .c.id }}{{ with $children }}<ol class="children">{{ range . }}{{ partial "comment.html" (dict "c" . "all" $.all "depth" (add $.depth 1) "number" $.number) }}{{ end }}</ol>{{ end }}
</li>
`,
  '_default/single.html': `{{ define "main" }}<article class="post">
  <h1 class="entry-title">{{ .Title }}</h1>
  <p class="entry-meta">Posted on <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time> by {{ .Params.author }}</p>
  <div class="entry-content">{{ .Content }}</div>
  <p class="entry-terms">{{ range .Params.categories }}<a href="{{ (print "/categories/" (. | urlize) "/") | relURL }}">{{ . }}</a> {{ end }}{{ range .Params.tags }}<a href="{{ (print "/tags/" (. | urlize) "/") | relURL }}">#{{ . }}</a> {{ end }}</p>
</article>
<nav class="post-navigation">{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ $approved := where (.Params.comments | default slice) "status" "approved" }}
<section id="comments" class="comments"><h2>{{ len $approved }} comments</h2>
<ol class="comment-list">{{ range $i, $c := where $approved "parentId" nil }}{{ partial "comment.html" (dict "c" $c "all" $approved "depth" 1 "number" (add $i 1)) }}{{ end }}</ol>
<form class="comment-form" method="post" action="/_termpress/comment"><input type="hidden" name="post" value="{{ .Params.id }}"><textarea name="body"></textarea><button>Post Comment</button></form>
</section>{{ end }}
`,
  '_default/list.html': `{{ define "main" }}<header class="page-header"><h1 class="page-title">{{ .Title }}</h1></header>
{{ range .Paginator.Pages }}{{ partial "summary.html" . }}{{ end }}
{{ partial "pagination.html" . }}{{ end }}
`,
  'index.html': `{{ define "main" }}{{ $pages := where site.RegularPages "Section" "posts" }}{{ $paginator := .Paginate $pages }}
{{ range $paginator.Pages }}{{ partial "summary.html" . }}{{ end }}
{{ partial "pagination.html" . }}{{ end }}
`,
  '_default/terms.html': `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
`,
  'archives/single.html': `{{ define "main" }}<h1>Archives</h1>
{{ range (where site.RegularPages "Section" "posts").GroupByDate "2006" }}<h2>{{ .Key }} ({{ len .Pages }})</h2><ul>{{ range .Pages.GroupByDate "January" }}<li>{{ .Key }} ({{ len .Pages }})</li>{{ end }}</ul>{{ end }}
<h2>Categories</h2><ul>{{ range site.Taxonomies.categories.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
<h2>Tags</h2><ul>{{ range site.Taxonomies.tags.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
`,
};

/** A string as a TOML basic string. */
const toml = (text) => JSON.stringify(text);

/** Writes the Hugo site for the blog's published posts into siteDir (replacing what was there). */
export function writeHugoSite(blogDir, siteDir) {
  rmSync(siteDir, { recursive: true, force: true });
  const write = (file, text) => {
    mkdirSync(path.dirname(path.join(siteDir, file)), { recursive: true });
    writeFileSync(path.join(siteDir, file), text);
  };
  write('config.toml', CONFIG);
  for (const [file, text] of Object.entries(LAYOUTS)) write(path.join('layouts', file), text);
  write(
    'static/assets/style.css',
    readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'theme', 'assets', 'style.css')),
  );
  write('content/archives.md', '+++\ntitle = "Archives"\nurl = "/archives/"\nlayout = "single"\ntype = "archives"\n+++\n');
  // Year and month archives as termpress makes them: one paginated list per year and per month.
  write('content/_index.md', '+++\ntitle = "Bench"\n+++\n');
  let count = 0;
  for (const name of readdirSync(path.join(blogDir, 'posts'))) {
    const post = JSON.parse(readFileSync(path.join(blogDir, 'posts', name), 'utf8'));
    if (post.status !== 'published') continue;
    const date = post.publishedAt;
    const comments = post.comments.map((c) => ({
      id: c.id,
      parentId: c.parentId ?? '',
      author: c.author,
      url: c.url,
      body: c.body,
      status: c.status,
      createdAt: c.createdAt,
    }));
    const front = [
      '+++',
      `title = ${toml(post.title)}`,
      `slug = ${toml(post.slug)}`,
      `date = ${date}`,
      `author = ${toml(post.author)}`,
      `id = ${toml(post.id)}`,
      `categories = [${post.categories.map(toml).join(', ')}]`,
      `tags = [${post.tags.map(toml).join(', ')}]`,
      `years = [${toml(date.slice(0, 4))}]`,
      `months = [${toml(date.slice(0, 7))}]`,
      ...comments.flatMap((c) => ['[[comments]]', ...Object.entries(c).map(([k, v]) => `${k} = ${toml(v)}`)]),
      '+++',
    ];
    write(path.join('content', 'posts', `${post.slug}.md`), `${front.join('\n')}\n${post.body}`);
    count++;
  }
  // Years and months as taxonomies give them their paginated lists and feeds, as termpress's date archives.
  write('config.toml', CONFIG.replace('tag = "tags"', 'tag = "tags"\n  year = "years"\n  month = "months"'));
  return count;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [blogDir, siteDir] = process.argv.slice(2);
  if (!blogDir || !siteDir) {
    console.error('usage: node bench/hugo-site.mjs <blog folder> <site folder>');
    process.exit(2);
  }
  const count = writeHugoSite(blogDir, siteDir);
  console.log(`${count} posts -> ${siteDir} (build with: hugo -s ${siteDir})`);
}
