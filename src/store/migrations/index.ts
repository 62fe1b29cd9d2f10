// The ordered list of migrations, compiled in (no directory scanning at run time).
import type { Migration } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as revisions from './0002-revisions.js';
import * as builds from './0003-builds.js';
import * as telemetry from './0004-telemetry.js';
import * as truthfulAnswers from './0005-truthful-answers.js';
import * as isolation from './0006-isolation.js';
import * as domainTls from './0007-domain-tls.js';
import * as appsV1 from './0008-apps-v1.js';
import * as containers from './0009-containers.js';
import * as restDialect from './0010-rest-dialect.js';
import * as databases from './0011-databases.js';
import * as appBuilds from './0012-app-builds.js';
import * as previewSessions from './0013-preview-sessions.js';
import * as appPageIndexes from './0014-app-page-indexes.js';
import * as fileModes from './0015-file-modes.js';
import * as uploadRetention from './0016-upload-retention.js';
import * as artifactUsers from './0017-artifact-users.js';
import * as auditByTarget from './0018-audit-by-target.js';
import * as logPrunes from './0019-log-prunes.js';
import * as sessionAffinity from './0020-session-affinity.js';

export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-revisions': revisions,
  '0003-builds': builds,
  '0004-telemetry': telemetry,
  '0005-truthful-answers': truthfulAnswers,
  '0006-isolation': isolation,
  // After issue 10's rebuild of the domains table (it copies named columns only).
  '0007-domain-tls': domainTls,
  '0008-apps-v1': appsV1,
  '0009-containers': containers,
  '0010-rest-dialect': restDialect,
  '0011-databases': databases,
  '0012-app-builds': appBuilds,
  '0013-preview-sessions': previewSessions,
  '0014-app-page-indexes': appPageIndexes,
  '0015-file-modes': fileModes,
  '0016-upload-retention': uploadRetention,
  '0017-artifact-users': artifactUsers,
  '0018-audit-by-target': auditByTarget,
  '0019-log-prunes': logPrunes,
  '0020-session-affinity': sessionAffinity,
};
