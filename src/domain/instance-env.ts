// The environment an instance sees: the revision's env plus Berth's own variables, which the
// user cannot override (PORT is set by the runtime driver).

export interface PlatformEnv {
  cortexDbConnection: string | null;
  harborProject: string | null;
}

export function instanceEnv(
  revision: { appId: string; name: string; env: Readonly<Record<string, string>> },
  platform: PlatformEnv,
): Record<string, string> {
  const env: Record<string, string> = { ...revision.env };
  env.BERTH_APP_ID = revision.appId;
  env.BERTH_REVISION = revision.name;
  if (platform.cortexDbConnection) env.CORTEXDB_CONNECTION = platform.cortexDbConnection;
  if (platform.harborProject) env.HARBOR_PROJECT = platform.harborProject;
  return env;
}
