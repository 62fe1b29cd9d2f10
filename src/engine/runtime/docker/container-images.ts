// IMAGE deploys on the engine: pull by reference (with the workspace's credential when the
// deploy names one), pin to the digest, and say in the deployment's log what happened.
import type Docker from 'dockerode';
import type { ContainerImages } from '../../../core/ports/images.js';
import { DomainError } from '../../../domain/errors.js';
import { buildWithEngine } from './image-builder.js';
import { registryOf, resolveImage } from './images.js';

export function createContainerImages(docker: Docker, registry: string | null): ContainerImages {
  return {
    build: (input) => buildWithEngine(docker, registry, input),
    async pin({ ref, login, log, signal }) {
      if (signal.aborted) throw new DomainError('conflict', 'cancelled');
      if (login && login.registry !== registryOf(ref)) {
        throw new DomainError('invalid', `the registry credential is for ${login.registry}, but ${ref} is on ${registryOf(ref)}`);
      }
      log.line(`[image] pulling ${ref}${login ? ` as ${login.username}` : ''}`);
      try {
        const resolved = await resolveImage(docker, ref, login ? { username: login.username, password: login.password, serveraddress: login.registry } : null);
        log.line(`[image] ${ref} is ${resolved.pinned}${resolved.exposedPort === null ? '' : ` (EXPOSE ${resolved.exposedPort})`}`);
        return { pinned: resolved.pinned, exposedPort: resolved.exposedPort };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DomainError('invalid', `could not pull ${ref}: ${reason}`);
      }
    },
  };
}
