// Vitest setup file: removes the test file's artifact directories once its own afterAll hooks
// (which stop Berth and its instances) have run; after-hooks run in reverse order of registration.
import { afterAll } from 'vitest';
import { removeArtifacts } from './app-fixtures.js';

afterAll(() => removeArtifacts());
