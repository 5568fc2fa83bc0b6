import type { Template } from '../../workflow-types';

const EMISSARY_DOCS = 'https://argo-workflows.readthedocs.io/en/latest/workflow-executors/#emissary-emissary';

/**
 * A container (or script) without `command` makes Argo's controller look the image's entrypoint
 * up before it can create the pod (workflow/controller/workflowpod.go: the emissary must know
 * what to run): in the controller's `images` index, else in the image's registry. The sandbox's
 * controller has no index and no registry access (as an air-gapped one), so such a template fails
 * with Argo's message, before any pod exists. Returns that message, or undefined with a command.
 */
export function entrypointLookupError(template: Template): string | undefined {
  const container = template.container ?? template.script;
  if (container === undefined || (container.command ?? []).length > 0) return undefined;
  const image = container.image ?? '';
  return (
    `failed to look-up entrypoint/cmd for image ${JSON.stringify(image)}, you must either explicitly specify the command, ` +
    `or list the image's command in the index: ${EMISSARY_DOCS}: ` +
    `Get "https://${registryHost(image)}/v2/": the sandbox's controller reaches no image registry`
  );
}

/** The registry an image reference pulls from (Docker Hub's is index.docker.io). */
function registryHost(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasRegistry =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry ? first : 'index.docker.io';
}
