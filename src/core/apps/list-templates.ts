// The one-click catalog, for any caller with a valid key (it is the same for every workspace).
import type { AppTemplate } from '../../domain/app-template.js';
import { templateCatalog } from '../../domain/templates/catalog.js';
import type { Principal } from '../../domain/workspace.js';
import type { Deps } from '../deps.js';

export async function listTemplates(_deps: Pick<Deps, 'store'>, _input: { actor: Principal }): Promise<readonly AppTemplate[]> {
  return templateCatalog;
}
