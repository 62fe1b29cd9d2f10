// A supervised server's state as the core's port tells it: reasons with Berth's data dir masked.
import type { DatabaseServerState } from '../../core/ports/databases.js';
import type { ServerState } from './supervised-server.js';
import { maskPaths } from './tool-failure.js';

export function databaseServerState(state: ServerState, dataDirs: readonly string[]): DatabaseServerState {
  switch (state.kind) {
    case 'starting':
    case 'serving':
    case 'stopped':
      return { kind: state.kind };
    case 'restarting':
      return { ...state, lastExit: maskPaths(state.lastExit, dataDirs) };
    case 'given-up':
      return { kind: 'given-up', reason: maskPaths(state.lastExit, dataDirs) };
  }
}
