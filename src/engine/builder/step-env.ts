// What every build and release step sees besides the app's env: a writable HOME, CI mode, the
// host's CA bundle, and package managers told to stay quiet and non-interactive.
export const stepEnv: Readonly<Record<string, string>> = {
  HOME: '/tmp',
  CI: 'true',
  NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  PIP_BREAK_SYSTEM_PACKAGES: '1',
  PYTHONDONTWRITEBYTECODE: '1',
  LANG: 'C.UTF-8',
};
