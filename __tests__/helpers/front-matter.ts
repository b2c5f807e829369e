import { parse as parseYaml } from 'yaml';

/** A written file's front matter and body, as a YAML 1.2 tool such as Hugo reads them. */
export function matter(text: string): { data: Record<string, unknown>; content: string } {
  const match = /^---\n([\s\S]*?)^---\n/m.exec(text);
  if (!match) throw new Error(`no front matter in ${text.slice(0, 80)}`);
  return { data: parseYaml(match[1]!) as Record<string, unknown>, content: text.slice(match[0].length) };
}
