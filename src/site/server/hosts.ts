import { UsageError } from '../../core/errors.js';

/**
 * The names a server answers as. A page on another site can make its own name resolve to
 * 127.0.0.1 (DNS rebinding) and then read whatever this server answers; it cannot make the
 * browser send another site's name in the Host header, so answering only our own names stops it.
 */
export interface HostPolicy {
  /** Whether a Host header value names this server. */
  allows(hostHeader: string | undefined): boolean;
  /** Whether an Origin (scheme://host[:port]) is one of this server's or the blog's own. */
  allowsOrigin(origin: string): boolean;
}

interface HostRule {
  hostname: string;
  /** The port the name must come with; null: any port, or none. */
  port: string | null;
  /** The port is optional too: loopback names reached through a local proxy come without one. */
  portOptional: boolean;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** Splits "name[:port]" the way a URL reads it: lower case, IPv6 in brackets, no trailing dot. */
export function parseHost(text: string): { hostname: string; port: string } | null {
  const trimmed = text.trim();
  if (trimmed === '' || /[\s/?#@\\]/.test(trimmed)) return null;
  try {
    const url = new URL(`http://${trimmed}`);
    // The port as written: a URL would drop ":80" as the default.
    return { hostname: url.hostname.replace(/\.$/, ''), port: /:(\d+)$/.exec(trimmed)?.[1] ?? '' };
  } catch {
    return null;
  }
}

/** A host given with --allow-host: "name" (any port) or "name:port". */
export function parseAllowedHost(text: string): { hostname: string; port: string | null } {
  const parsed = parseHost(text);
  if (!parsed || parsed.hostname === '') {
    throw new UsageError(
      `--allow-host needs a host name or address, optionally with :port (e.g. blog.example or 192.0.2.7:4000), not "${text}".`,
    );
  }
  return { hostname: parsed.hostname, port: parsed.port === '' ? null : parsed.port };
}

/**
 * The hosts of one server: the loopback names with its port, the blog's own url host, and the
 * hosts given with --allow-host.
 */
export function hostPolicy(options: { port: number; blogUrl: string; allowHosts: readonly string[] }): HostPolicy {
  const port = String(options.port);
  const rules: HostRule[] = LOOPBACK.map((hostname) => ({ hostname, port, portOptional: true }));
  try {
    const blog = new URL(options.blogUrl);
    const blogPort = blog.port || (blog.protocol === 'https:' ? '443' : '80');
    rules.push({ hostname: blog.hostname.replace(/\.$/, ''), port: blogPort, portOptional: blog.port === '' });
  } catch {
    // A blog without a usable url is answered on its loopback names only.
  }
  for (const text of options.allowHosts) {
    const allowed = parseAllowedHost(text);
    rules.push({ hostname: allowed.hostname, port: allowed.port, portOptional: allowed.port === null });
  }

  // A Host header may leave the port out (a local proxy does); an origin always has one, if implied.
  const matches = (hostname: string, port: string, portless: boolean) =>
    rules.some((rule) => rule.hostname === hostname && (rule.port === null || rule.port === port || (portless && rule.portOptional)));

  return {
    allows(hostHeader) {
      if (hostHeader === undefined) return false;
      const parsed = parseHost(hostHeader);
      return parsed !== null && matches(parsed.hostname, parsed.port, parsed.port === '');
    },
    allowsOrigin(origin) {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return false;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
      return matches(url.hostname.replace(/\.$/, ''), url.port || (url.protocol === 'https:' ? '443' : '80'), false);
    },
  };
}
