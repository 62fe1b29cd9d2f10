// A workspace's credential for a private image registry: what IMAGE deploys name by
// `registryAuthRef` / `imageRegistryAuthRef`. The password never leaves the store but for a pull.

export interface RegistryCredential {
  id: string;
  workspaceId: string;
  /** What deploys name it by (unique in the workspace). */
  name: string;
  /** host[:port] of the registry, e.g. registry.example.com or 127.0.0.1:5000. */
  registry: string;
  username: string;
  createdAt: Date;
}

const NAME = /^[a-z0-9][a-z0-9._/-]{0,199}$/i;
const REGISTRY = /^[a-z0-9.-]+(:\d{1,5})?$/i;

/** Why the fields cannot make a credential (empty: they can). */
export function registryCredentialProblems(input: { name: string; registry: string; username: string; password: string }): string[] {
  const problems: string[] = [];
  if (!NAME.test(input.name)) problems.push('name must be 1-200 letters, digits, dots, slashes, dashes or underscores');
  if (!REGISTRY.test(input.registry)) problems.push('registry must be a host with an optional port, e.g. registry.example.com:5000');
  if (input.username.trim() === '' || input.username.length > 200) problems.push('username must be 1-200 characters');
  if (input.password === '' || input.password.length > 4096) problems.push('password must be 1-4096 characters');
  return problems;
}
