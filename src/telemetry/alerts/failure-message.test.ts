import { describe, expect, it } from 'vitest';
import { failureMessage } from './failure-message.js';

describe('failureMessage', () => {
  it('does not repeat "Build failed"', () => {
    expect(failureMessage({ deploymentId: 'dep_1', failedBuild: true, error: 'Build failed: Could not detect how to build this app.' })).toBe(
      'Build dep_1 failed: Could not detect how to build this app.',
    );
    expect(failureMessage({ deploymentId: 'dep_1', failedBuild: false, error: 'revision a-00001 did not become ready' })).toBe('Deploy dep_1 failed: revision a-00001 did not become ready');
  });

  it('cuts a long reason at a word, with an ellipsis', () => {
    const long = `Build failed: ${'word '.repeat(200)}end`;
    const message = failureMessage({ deploymentId: 'dep_1', failedBuild: true, error: long });
    expect(message.endsWith('word…')).toBe(true);
    expect(message.length).toBeLessThanOrEqual('Build dep_1 failed: '.length + 401);
  });

  it('says only that it failed when there is no reason', () => {
    expect(failureMessage({ deploymentId: 'dep_1', failedBuild: true, error: null })).toBe('Build dep_1 failed');
    expect(failureMessage({ deploymentId: 'dep_1', failedBuild: true, error: 'Build failed: ' })).toBe('Build dep_1 failed');
  });
});
