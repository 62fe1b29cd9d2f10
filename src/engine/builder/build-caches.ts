// Framework build caches, kept per app between builds as installed dependencies are: what each
// framework really reuses in its next production build. Next.js keeps webpack's and SWC's caches in
// .next/cache; Gatsby keeps .cache and public; Parcel keeps .parcel-cache. `vite build` keeps none
// (node_modules/.vite serves only its dev server), nor does `nuxt build` unless its experimental
// buildCache is on (and that lives in node_modules), nor Astro beyond node_modules/.astro.

export interface BuildCacheSpec {
  tool: string;
  /** Paths in the project, restored before the build when the fresh tree lacks them. */
  dirs: string[];
}

const frameworks: readonly { build: RegExp; cache: BuildCacheSpec }[] = [
  { build: /\bnext\s+build\b/, cache: { tool: 'Next.js', dirs: ['.next/cache'] } },
  { build: /\bgatsby\s+build\b/, cache: { tool: 'Gatsby', dirs: ['.cache', 'public'] } },
  { build: /\bparcel\s+build\b/, cache: { tool: 'Parcel', dirs: ['.parcel-cache'] } },
];

/** The build cache of the framework whose build `buildText` (a build script and the scripts it runs) runs; null when none. */
export function frameworkBuildCache(buildText: string): BuildCacheSpec | null {
  return frameworks.find((f) => f.build.test(buildText))?.cache ?? null;
}
