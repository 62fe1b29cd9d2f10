import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listProjectFiles } from './pack-folder.js';

describe('listProjectFiles (what berth deploy sends)', () => {
  it('honours .gitignore at every level, .berthignore at the root, negations, and never sends .git', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-list-'));
    try {
      const write = (file: string, text = 'x') => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
      };
      write('.gitignore', 'node_modules/\n*.log\n!keep.log\n');
      write('.berthignore', 'notes/\n');
      write('server.js');
      write('node_modules/a/index.js');
      write('debug.log');
      write('keep.log');
      write('notes/todo.md');
      write('.git/HEAD');
      write('web/.gitignore', 'dist/\n');
      write('web/dist/app.js');
      write('web/src/app.js');
      write('web/dist-notes.txt');
      expect(listProjectFiles(root)).toEqual(['.berthignore', '.gitignore', 'keep.log', 'server.js', 'web/.gitignore', 'web/dist-notes.txt', 'web/src/app.js']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
