// Custom domain hostnames: fully qualified, lower-case, each label DNS-safe, not an IP address.

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function normaliseHostname(input: string): string {
  return input.trim().toLowerCase().replace(/\.$/, '');
}

export function hostnameProblem(hostname: string): string | null {
  if (hostname.length === 0 || hostname.length > 253) return 'domain must be 1-253 characters';
  const labels = hostname.split('.');
  if (labels.length < 2) return 'domain must be fully qualified, e.g. api.example.com';
  if (!labels.every((part) => label.test(part))) {
    return 'domain must contain only letters, digits, hyphens and dots, e.g. api.example.com';
  }
  if (/^[0-9.]+$/.test(hostname)) return 'domain must be a hostname, not an IP address';
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return 'domain must end in a top-level domain';
  return null;
}
