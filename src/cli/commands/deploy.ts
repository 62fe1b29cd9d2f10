// `berth deploy [dir]`: pack the folder (honouring .gitignore and .berthignore), upload it with
// a progress bar, deploy, stream the build log, print the URL (web and api apps); non-zero exit when it fails.
// `--git` deploys the app's git branch instead of a folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { describeEnd, followDeployment } from '../deploy/follow-deployment.js';
import { packFolder } from '../deploy/pack-folder.js';
import { uploadTarball } from '../deploy/upload-tarball.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { note, printJson } from '../output.js';
import { shownUrl } from '../../domain/app-kind-facts.js';
import { slugOf } from './apps.js';

interface DeployOptions extends JsonOption {
  app?: string;
  git?: boolean;
  branch?: string;
  commit?: string;
  follow: boolean;
}

export function registerDeploy(program: Command, context: CommandContext): void {
  program
    .command('deploy')
    .description('deploy a folder (default: this one) to an app, follow its build log and print its URL')
    .argument('[dir]', 'the project folder', '.')
    .option('--app <app>', "the app's id or slug (default: the folder's name as a slug)")
    .option('--git', "deploy the app's git repository instead of the folder")
    .option('--branch <branch>', "with --git: this branch (default: the app's)")
    .option('--commit <sha>', 'with --git: this commit')
    .option('--no-follow', 'return once the deployment is queued')
    .option('--json', 'print the final deployment as JSON (the log still goes to stderr)')
    .action(async (dir: string, options: DeployOptions) => {
      if (!options.git && (options.branch !== undefined || options.commit !== undefined)) throw new CliError('--branch and --commit pick what to deploy from git: add --git (without it, the folder is deployed)', exitCodes.usage);
      const root = path.resolve(dir);
      const appRef = options.app ?? slugOf(path.basename(root));
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      const app = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: appRef } } }));
      let uploaded: { uploadId: string; sizeBytes: number } | null = null;
      if (!options.git) {
        if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new CliError(`${dir} is not a folder`, exitCodes.usage);
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-deploy-'));
        try {
          const tarball = path.join(scratch, 'source.tar.gz');
          const packed = await packFolder(root, tarball);
          note(`Packed ${packed.files} files from ${root}`);
          uploaded = await uploadTarball(connection, app.id, tarball);
        } finally {
          fs.rmSync(scratch, { recursive: true, force: true });
        }
      }
      const body = uploaded
        ? { appId: app.id, source: { type: 'UPLOAD' as const, uploadId: uploaded.uploadId } }
        : { appId: app.id, ...(options.branch ? { gitBranch: options.branch } : {}), ...(options.commit ? { gitCommitSha: options.commit } : {}) };
      const queued = await unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId } }, body }));
      note(`Deployment ${queued.id} queued for ${app.slug}`);
      if (!options.follow) {
        if (options.json) printJson({ ...queued, uploadSizeBytes: uploaded?.sizeBytes ?? null });
        return;
      }
      const final = await followDeployment(connection, queued.id, { quiet: false });
      if (options.json) printJson({ ...final, url: app.url, uploadSizeBytes: uploaded?.sizeBytes ?? null });
      if (final.status !== 'succeeded') throw new CliError(describeEnd(final), exitCodes.failed);
      // A worker or cron app has no URL that answers: its log's last line said what runs.
      const url = shownUrl(app);
      if (!options.json && url !== null) process.stdout.write(`${url}\n`);
      note(`Deployed ${final.revisionName ?? ''} in ${final.durationSeconds ?? '?'} s`);
    });
}
