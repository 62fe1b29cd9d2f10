// A client for the Docker Engine API from DOCKER_HOST's form: unix:///path (the default socket
// when empty), or tcp://host:port.
import Docker from 'dockerode';

export function dockerClient(dockerHost: string | null): Docker {
  const host = dockerHost ?? 'unix:///var/run/docker.sock';
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: 'http' });
}
