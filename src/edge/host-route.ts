// Maps a Host header to an app and, for `{tag}---{slug}.{base}`, a tag: verified custom domains
// first, then the base domain. Case-insensitive; a port suffix and a trailing dot are ignored.
import { tagSeparator } from '../domain/traffic.js';
import type { CompiledApp, CompiledTable } from './compiled-table.js';

export interface HostMatch {
  /** Lower-case, without port or trailing dot. */
  hostname: string;
  app: CompiledApp;
  /** Lower-case tag from a tagged host, or null for the app's weighted split. */
  tag: string | null;
}

/** The hostname part of a Host header, lower-case, without port or trailing dot; null for IP literals in brackets. */
export function hostnameOf(hostHeader: string): string | null {
  if (hostHeader.length === 0 || hostHeader.charCodeAt(0) === 91 /* [ */) return null;
  const colon = hostHeader.indexOf(':');
  let name = colon >= 0 ? hostHeader.slice(0, colon) : hostHeader;
  if (name.charCodeAt(name.length - 1) === 46 /* . */) name = name.slice(0, -1);
  return hasUpperCase(name) ? name.toLowerCase() : name;
}

/** Most Host headers are lower case already: checked in place, not copied. */
function hasUpperCase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

/** Resolves a request's Host against the table; `baseSuffix` is `.` + the base domain, lower-case. */
export function matchHost(table: CompiledTable, baseSuffix: string, hostHeader: string | undefined): HostMatch | null {
  if (hostHeader === undefined) return null;
  const hostname = hostnameOf(hostHeader);
  if (hostname === null) return null;

  const domainSlug = table.domains.get(hostname);
  if (domainSlug !== undefined) {
    const app = table.apps.get(domainSlug);
    return app === undefined ? null : { hostname, app, tag: null };
  }

  if (hostname.length <= baseSuffix.length || !hostname.endsWith(baseSuffix)) return null;
  const label = hostname.slice(0, hostname.length - baseSuffix.length);
  if (label.includes('.')) return null;
  // A slug that itself contains the separator wins over a tag reading of the same label.
  const exact = table.apps.get(label);
  if (exact !== undefined) return { hostname, app: exact, tag: null };
  const separator = label.indexOf(tagSeparator);
  if (separator <= 0) return null;
  const app = table.apps.get(label.slice(separator + tagSeparator.length));
  return app === undefined ? null : { hostname, app, tag: label.slice(0, separator) };
}
