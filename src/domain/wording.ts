// Messages that name a field or a value of the core's nouns name it symbolically, so each
// dialect says it in its own words: `gitRepoUrl` is `repo_url` to spec 002's clients, the source
// `GIT` is `git`. `inCoreWords` renders a phrase as the core names things (logs, and the Dooor
// dialect, whose words these are). The names are closed lists: a dialect's table of them does
// not compile until it names every one.
import type { SourceType } from './source-type.js';

/** Fields of the core's nouns that a message may name. */
export const coreFields = [
  'name',
  'slug',
  'description',
  'type',
  'gitRepoUrl',
  'gitBranch',
  'gitCommitSha',
  'imageRef',
  'dockerfilePath',
  'releaseCommand',
  'buildCommand',
  'port',
  'replicas',
  'minReplicas',
  'maxReplicas',
  'cpuLimitMillicores',
  'memoryLimitMi',
  'diskLimitMi',
  'cpuTargetUtilization',
  'schedule',
  'readinessPath',
  'env',
  'uploadId',
  'template',
  'limit',
  'sourceType',
  'after',
  'before',
  'defaultVersionId',
  'nodeVersion',
] as const;
export type CoreField = (typeof coreFields)[number];

/** Things a message tells the user to do, which each dialect asks for with its own call. */
export const hints = ['deployAnUpload', 'setGitRepository'] as const;
export type Hint = (typeof hints)[number];

export type PhrasePart =
  | string
  | { readonly field: CoreField }
  | { readonly source: SourceType }
  | { readonly hint: Hint }
  /** A name already in the dialect's own words (from its request schema). */
  | { readonly wire: string };

export interface Phrase {
  readonly parts: readonly PhrasePart[];
}

export const field = (name: CoreField): PhrasePart => ({ field: name });
export const sourceWord = (source: SourceType): PhrasePart => ({ source });
export const hint = (name: Hint): PhrasePart => ({ hint: name });
export const wire = (name: string): PhrasePart => ({ wire: name });

/** `` say`${field('gitRepoUrl')} is required for a ${sourceWord('GIT')} source` ``; numbers and strings are text. */
export function say(strings: TemplateStringsArray, ...values: (PhrasePart | number)[]): Phrase {
  const parts: PhrasePart[] = [];
  strings.forEach((text, i) => {
    if (text !== '') parts.push(text);
    const value = values[i];
    if (value !== undefined) parts.push(typeof value === 'number' ? String(value) : value);
  });
  return { parts };
}

export const isPhrase = (value: unknown): value is Phrase =>
  typeof value === 'object' && value !== null && Array.isArray((value as { parts?: unknown }).parts);

export const phraseOf = (text: string | Phrase): Phrase => (typeof text === 'string' ? { parts: [text] } : text);

/** How a dialect says each name. */
export interface Words {
  field(name: CoreField): string;
  source(source: SourceType): string;
  hint(name: Hint): string;
}

export function render(phrase: Phrase, words: Words): string {
  return phrase.parts
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('field' in part) return words.field(part.field);
      if ('source' in part) return words.source(part.source);
      if ('hint' in part) return words.hint(part.hint);
      return part.wire;
    })
    .join('');
}

/** The field a problem is about: the name it opens with, if any. */
export function subjectOf(phrase: Phrase): { field: CoreField } | { wire: string } | null {
  const first = phrase.parts[0];
  if (first === undefined || typeof first === 'string') return null;
  if ('field' in first) return { field: first.field };
  if ('wire' in first) return { wire: first.wire };
  return null;
}

const coreHints: Record<Hint, string> = {
  deployAnUpload: 'deploy an upload',
  setGitRepository: 'set gitRepoUrl to deploy from git',
};

export const coreWords: Words = { field: (name) => name, source: (source) => source, hint: (name) => coreHints[name] };

export const inCoreWords = (phrase: Phrase | string): string => (typeof phrase === 'string' ? phrase : render(phrase, coreWords));
