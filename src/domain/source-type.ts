// Where an app's code comes from, in the core's words: a git repository, uploaded tarballs, or a
// container image. Its own module because messages (wording.ts) and apps (app.ts) both name it.
export const sourceTypes = ['GIT', 'UPLOAD', 'IMAGE'] as const;
export type SourceType = (typeof sourceTypes)[number];
