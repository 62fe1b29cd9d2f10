// Slugs made from an app's name (spec 002 derives them): lowercase letters, digits and single
// hyphens, at most 63 characters, and a numbered suffix (`-2`, `-3`, …) when the slug is taken.
import { limits } from './app.js';

/** `My API v2!` → `my-api-v2`; a name with no letter or digit gives `app`. */
export function slugFromName(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const slug = ascii
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, limits.slugLength.max)
    .replace(/-+$/, '');
  return slug === '' ? 'app' : slug;
}

/** The n-th candidate for a slug (n = 1 is the slug itself), cut so the suffix always fits. */
export function slugCandidate(slug: string, n: number): string {
  if (n <= 1) return slug;
  const suffix = `-${n}`;
  return `${slug.slice(0, limits.slugLength.max - suffix.length).replace(/-+$/, '')}${suffix}`;
}
