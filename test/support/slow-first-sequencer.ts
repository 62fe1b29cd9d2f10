// vitest's file order, with the slowest files of the last CI runs first. vitest starts the files it
// has timings for longest first, but CI runs on a clean clone (no timings: larger files first), so a
// short file that takes a minute and a half could start last and hold the run open alone at its end.
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Slowest first, with their seconds on the CI runs of 2026-12-05 (only the order matters). */
export const slowestFiles = [
  'test/e2e/private-registry.test.ts', // 105 s
  'test/build/next-build-cache.test.ts', // 91 s
  'test/property/api-fuzz.test.ts', // 69 s
  'test/console/console-form-checks.test.ts', // 68 s
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = slowestFiles.indexOf(path.relative(this.ctx.config.root, file.moduleId));
      return at === -1 ? slowestFiles.length : at;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
