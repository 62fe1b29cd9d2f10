import { describe, expect, it } from 'vitest';
import { ownCommand } from './own-command.js';

describe('ownCommand', () => {
  it.each([
    [['/usr/bin/env', 'PATH=node_modules/.bin:/usr/local/bin:/usr/bin:/bin', 'PYTHONUNBUFFERED=1', 'node', 'server.js'], 'node server.js'],
    [['/usr/bin/env', 'PATH=.berth/python/bin:node_modules/.bin:/usr/bin', 'PYTHONPATH=.berth/python', 'PYTHONUNBUFFERED=1', 'gunicorn', 'app:app'], 'gunicorn app:app'],
    [['/usr/bin/env', 'PATH=x', 'PYTHONUNBUFFERED=1', 'NODE_ENV=production', 'node', 'a.js'], 'NODE_ENV=production node a.js'],
    [['/usr/bin/env', 'PATH=x', 'PYTHONUNBUFFERED=1', 'PATH=mine', 'node', 'a.js'], 'PATH=mine node a.js'],
    [['/usr/bin/env', 'PATH=x', 'PYTHONUNBUFFERED=1', '/bin/sh', '-c', 'npm run migrate && node dist/main.js'], 'npm run migrate && node dist/main.js'],
    [['/usr/bin/node', 'server.js'], '/usr/bin/node server.js'],
  ])('%j → %s', (argv, shown) => {
    expect(ownCommand(argv)).toBe(shown);
  });
});
