import { Injectable } from '@nestjs/common';
import { ImageRegistry } from '@platform/argo-client';
import { TaskConfig } from '../config/task-config';

/** An image the registry holds. */
export interface BuiltImage {
  /** `<REGISTRY_HOST>/<team>/<app>:<tag>` */
  image: string;
  /** `sha256:<64 hex>`, as the registry answered for the tag. */
  digest: string;
}

/**
 * "Was this image built?", asked of the registry: a tag exists once a build pushed it, however
 * long ago, whatever happened to the workflow that built it (Argo garbage-collects those).
 */
@Injectable()
export class BuiltImages {
  constructor(
    private readonly registry: ImageRegistry,
    private readonly config: TaskConfig,
  ) {}

  /** The image `<team>/<app>:<tag>` with its digest, or undefined when the registry has no such tag. */
  async find(team: string, app: string, tag: string): Promise<BuiltImage | undefined> {
    const repository = `${team}/${app}`;
    const manifest = await this.registry.manifest(repository, tag);
    return manifest === undefined
      ? undefined
      : { image: `${this.config.registry.host}/${repository}:${tag}`, digest: manifest.digest };
  }
}
