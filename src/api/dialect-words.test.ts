// The table of core enums in each dialect's words: every core value has a word in every dialect
// that shows the enum (at compile time: the rows are Records; the @ts-expect-error lines below
// fail the typecheck if a missing value ever compiles), and words are distinct so requests map
// back to exactly one core value.
import { describe, expect, it } from 'vitest';
import { instancePhases } from '../core/ports/orchestrator.js';
import { appStatuses, sourceTypes } from '../domain/app.js';
import { deploymentStandings, deploymentStatuses, triggerTypes } from '../domain/deployment.js';
import {
  appStatusWords,
  coreValueOf,
  deploymentStandingWords,
  deploymentStatusWords,
  dialects,
  instancePhaseWords,
  sourceTypeWords,
  triggerWords,
} from './dialect-words.js';

const rows: [string, readonly string[], Partial<Record<(typeof dialects)[number], Readonly<Record<string, string>>>>][] = [
  ['app status', appStatuses, appStatusWords],
  ['source type', sourceTypes, sourceTypeWords],
  ['trigger', triggerTypes, triggerWords],
  ['deployment status', deploymentStatuses, deploymentStatusWords],
  ['deployment standing', deploymentStandings, deploymentStandingWords],
  // A crashed instance waiting for its restart is a phase and a reason in spec 002 (presentPod).
  ['instance phase', instancePhases.filter((p) => p !== 'restarting'), instancePhaseWords],
];

describe('core enums in each dialect’s words', () => {
  it.each(rows)('%s: every core value has one distinct word per dialect, and reads back', (_name, values, row) => {
    const columns = Object.entries(row);
    expect(columns.length).toBeGreaterThan(0);
    for (const [dialect, words] of columns) {
      expect(dialects).toContain(dialect);
      expect(Object.keys(words).sort()).toEqual([...values].sort());
      expect(new Set(Object.values(words)).size, `${dialect} has a word twice`).toBe(values.length);
      for (const value of values) expect(coreValueOf(words, words[value] ?? '')).toBe(value);
      expect(coreValueOf(words, 'no-such-word')).toBeNull();
    }
  });

  it('the app status and source rows have a column for every dialect', () => {
    expect(Object.keys(appStatusWords).sort()).toEqual([...dialects].sort());
    expect(Object.keys(sourceTypeWords).sort()).toEqual([...dialects].sort());
    expect(Object.keys(triggerWords).sort()).toEqual([...dialects].sort());
  });

  it('does not compile a row that misses a core value (checked by tsc)', () => {
    // @ts-expect-error IMAGE has no word: a Record over the enum refuses it
    const missing: Record<(typeof sourceTypes)[number], string> = { GIT: 'git', UPLOAD: 'upload' };
    expect(Object.keys(missing)).toHaveLength(2);
  });
});
