import { describe, expect, it } from 'vitest';
import { describeEnd } from './follow-deployment.js';

describe('describeEnd', () => {
  it('names the deployment, its status and why', () => {
    expect(describeEnd({ id: 'dep_1', status: 'failed', error: 'revision a-00001 did not become ready' })).toBe('deployment dep_1 failed: revision a-00001 did not become ready');
  });

  it('does not repeat a status the reason starts with', () => {
    expect(describeEnd({ id: 'dep_1', status: 'cancelled', error: 'Cancelled: the app was deleted' })).toBe('deployment dep_1 cancelled: the app was deleted');
    expect(describeEnd({ id: 'dep_1', status: 'cancelled', error: 'Superseded: dep_2, triggered later, went live first' })).toBe(
      'deployment dep_1 cancelled: Superseded: dep_2, triggered later, went live first',
    );
  });

  it('says nothing more when there is no reason', () => {
    expect(describeEnd({ id: 'dep_1', status: 'cancelled', error: null })).toBe('deployment dep_1 cancelled');
  });
});
