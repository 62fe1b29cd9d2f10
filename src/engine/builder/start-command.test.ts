import { describe, expect, it } from 'vitest';
import { ownCommand, treeVariableNames } from '../../domain/own-command.js';
import { scriptArgv, treeEnv } from './start-command.js';

describe('start commands and what people are shown', () => {
  it.each([false, true])('sets only variables the shown command leaves out (python %s)', (python) => {
    for (const name of Object.keys(treeEnv(python))) expect(treeVariableNames).toContain(name);
  });

  it.each(['node server.js', 'NODE_ENV=production node dist/main.js', 'npm run migrate && node dist/main.js', 'gunicorn app:app --bind 0.0.0.0:$PORT'])('shows %s as written', (script) => {
    expect(ownCommand(scriptArgv(script, treeEnv(false)))).toBe(script);
    expect(ownCommand(scriptArgv(script, treeEnv(true)))).toBe(script);
  });
});
