import { Injectable } from '@nestjs/common';
import { ArgoWorkflows, type Workflow } from '@platform/argo-client';
import { ArgoLabels, Labels } from '@platform/domain';
import { TaskConfig } from '../config/task-config';

/** A build that produced an image. */
export interface Build {
  taskId: string;
  image: string;
  digest: string | undefined;
}

const PAGE_SIZE = 100;

/**
 * The images an app's successful ci tasks produced, read from the workflows' outputs: the
 * platform keeps no database, and the build history is what says an image may be deployed.
 * (Argo's workflow garbage collection bounds how far back this sees; see the README.)
 */
@Injectable()
export class BuiltImages {
  constructor(
    private readonly argo: ArgoWorkflows,
    private readonly config: TaskConfig,
  ) {}

  /** The newest successful build of `app` whose image has tag `tag`. */
  async find(app: string, tag: string): Promise<Build | undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.argo.list(this.config.argo.namespace, {
        labelSelector: `${Labels.app}=${app},${Labels.taskType}=ci,${ArgoLabels.phase}=Succeeded`,
        limit: PAGE_SIZE,
        continue: cursor,
        fields: 'metadata.continue,items.metadata.name,items.status.outputs',
      });
      for (const workflow of page.items ?? []) {
        const build = buildOf(workflow);
        if (build !== undefined && tagOf(build.image) === tag) return build;
      }
      cursor = page.metadata.continue || undefined;
    } while (cursor !== undefined);
    return undefined;
  }
}

function buildOf(workflow: Workflow): Build | undefined {
  const outputs = workflow.status?.outputs?.parameters ?? [];
  const value = (name: string): string | undefined => outputs.find((p) => p.name === name)?.value;
  const image = value('image');
  return image === undefined
    ? undefined
    : { taskId: workflow.metadata.name ?? '', image, digest: value('digest') };
}

/** The tag of `registry/team/app:tag` (a registry port's colon comes before the last "/"). */
function tagOf(image: string): string | undefined {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : undefined;
}
