import type { ArgoCdApi } from './argocd-api';
import { waitDeleted } from './argocd-app-commands';
import { parseQualifiedName, qualifiedName } from './argocd-app-names';
import { ArgoCdCliError } from './argocd-client';
import type { ParsedFlags } from './cli-flags';
import type { CommandIo } from './command-io';
import type { StepRuntime } from './step-runtime';

/** cobra's exit status after printing a command's help for missing arguments. */
const HELP_EXIT = 1;

/**
 * `argocd app delete` (cmd/argocd/commands/app.go, NewApplicationDeleteCommand, v3.5.1): the apps
 * named (`name` or `namespace/name`, as `app list -o name` prints them; `-N` is the namespace of
 * bare names) or, with `-l`, every app the selector lists (then the names are ignored, and none
 * matching is an error). A pod's stdout is no terminal, so nothing is asked; each delete prints
 * "application '<as given>' deleted", after its DELETED event with `--wait`. Cascade and
 * propagation policy go to the server only when given on the command line.
 */
export async function appDelete(
  rt: StepRuntime,
  api: ArgoCdApi,
  flags: ParsedFlags,
  io: CommandIo,
): Promise<number> {
  const selector = flags.get('selector') ?? '';
  if (flags.positionals.length === 0 && selector === '') {
    io.out('Delete an application\n\nUsage:\n  argocd app delete APPNAME [flags]\n');
    return HELP_EXIT;
  }
  let names = flags.positionals;
  if (selector !== '') {
    // getAppNamesBySelector: a List with the selector alone ("unlike list, ... fail if nothing was found").
    const apps = await api.listApplications(selector);
    if (apps.length === 0) throw new ArgoCdCliError(`no apps match selector ${selector}`);
    names = apps.map(qualifiedName);
  }
  const appNamespace = flags.get('app-namespace') ?? '';
  for (const fullName of names) {
    const { name, namespace } = parseQualifiedName(fullName, appNamespace);
    await api.deleteApplication(name, {
      appNamespace: namespace,
      cascade: flags.has('cascade') ? flags.on('cascade') : undefined,
      propagationPolicy: flags.get('propagation-policy'),
    });
    if (flags.on('wait')) {
      // checkForDeleteEvent watches the name as given, its bare form in the server's namespace.
      const watched = parseQualifiedName(fullName, '');
      await waitDeleted(rt, api, watched.name, watched.namespace);
    }
    io.out(`application '${fullName}' deleted\n`);
  }
  return 0;
}
