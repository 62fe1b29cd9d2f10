// The message of a build_failed or deploy_failed alert: which deployment, and why in its own
// words, without a second "Build failed:" and cut at a word with an ellipsis when it is long.

const maxReason = 400;

export function failureMessage(input: { deploymentId: string; failedBuild: boolean; error: string | null }): string {
  const what = input.failedBuild ? 'Build' : 'Deploy';
  const reason = (input.error ?? '').replace(new RegExp(`^${what} failed:\\s*`, 'i'), '').trim();
  if (reason === '') return `${what} ${input.deploymentId} failed`;
  return `${what} ${input.deploymentId} failed: ${shorten(reason)}`;
}

function shorten(text: string): string {
  if (text.length <= maxReason) return text;
  const cut = text.slice(0, maxReason);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxReason / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
