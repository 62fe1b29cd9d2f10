// The one-click catalog Berth ships (spec 002 `template`, `GET /api/v1/templates`): data only.
// Git templates start from well-known public starter repositories; image templates need the
// container engine driver to run. A request's own fields always win over a template's.
import type { AppTemplate } from '../app-template.js';

const catalog: readonly AppTemplate[] = [
  {
    id: 'static-site',
    name: 'Static site',
    description: 'HTML, CSS and JavaScript served by Berth (a folder with index.html, or a build that emits one). Upload a tarball of it to /build.',
    type: 'web',
    source: { type: 'UPLOAD', gitRepoUrl: null, gitBranch: null, imageRef: null },
    port: null,
    env: {},
    resources: { cpuMillicores: 100, memoryMi: 128 },
    replicas: 1,
    buildCommand: null,
    readinessPath: '/',
    readinessType: 'http',
  },
  {
    id: 'node-web',
    name: 'Node.js web app',
    description: 'A Node.js web server (npm, pnpm or Yarn), started by its start script. Starts from Heroku’s Node.js getting-started app.',
    type: 'web',
    source: { type: 'GIT', gitRepoUrl: 'https://github.com/heroku/node-js-getting-started', gitBranch: 'main', imageRef: null },
    port: null,
    env: { NODE_ENV: 'production' },
    resources: { cpuMillicores: 500, memoryMi: 512 },
    replicas: 1,
    buildCommand: null,
    readinessPath: '/',
    readinessType: 'http',
  },
  {
    id: 'python-web',
    name: 'Python web app',
    description: 'A Python web app (requirements.txt or pyproject.toml), started by its Procfile or app.py. Starts from Heroku’s Python getting-started app.',
    type: 'web',
    source: { type: 'GIT', gitRepoUrl: 'https://github.com/heroku/python-getting-started', gitBranch: 'main', imageRef: null },
    port: null,
    env: { PYTHONUNBUFFERED: '1' },
    resources: { cpuMillicores: 500, memoryMi: 512 },
    replicas: 1,
    buildCommand: null,
    readinessPath: '/',
    readinessType: 'http',
  },
  {
    id: 'nginx',
    name: 'Nginx web server',
    description: 'The official nginx image, serving on port 80. Runs on a container engine driver.',
    type: 'web',
    source: { type: 'IMAGE', gitRepoUrl: null, gitBranch: null, imageRef: 'nginx:1.27-alpine' },
    port: 80,
    env: {},
    resources: { cpuMillicores: 250, memoryMi: 256 },
    replicas: 1,
    buildCommand: null,
    readinessPath: '/',
    readinessType: 'http',
  },
  {
    id: 'redis',
    name: 'Redis',
    description: 'The official Redis image on port 6379 (ready once it accepts a TCP connection). Runs on a container engine driver.',
    type: 'api',
    source: { type: 'IMAGE', gitRepoUrl: null, gitBranch: null, imageRef: 'redis:7-alpine' },
    port: 6379,
    env: {},
    resources: { cpuMillicores: 250, memoryMi: 256 },
    replicas: 1,
    buildCommand: null,
    readinessPath: '/',
    readinessType: 'tcp',
  },
];

export const templateCatalog: readonly AppTemplate[] = Object.freeze(catalog);

export function findTemplate(id: string): AppTemplate | null {
  return templateCatalog.find((t) => t.id === id) ?? null;
}
