import { knownImages } from './images/image-manifest';
import { runArgoCdCli } from './argocd-cli';
import { runBuildkit } from './buildkit';
import { imageKind } from './image-kind';
import { runKaniko } from './kaniko';
import { runLocalProcess } from './local-process';
import { UnsupportedStepError, type StepResult, type StepRuntime } from './step-runtime';

/** Picks the executor of a step by its image (see {@link imageKind}) and runs the main container. */
export function runStep(rt: StepRuntime): Promise<StepResult> {
  const kind = imageKind(rt.image);
  switch (kind) {
    case 'process':
      return runLocalProcess(rt);
    case 'kaniko':
      return runKaniko(rt);
    case 'buildkit':
      return runBuildkit(rt);
    case 'argocd':
      return runArgoCdCli(rt);
    case 'unsupported':
      throw unsupportedImage(rt.image);
  }
}

export function unsupportedImage(image: string): UnsupportedStepError {
  if (image.trim() === '') return new UnsupportedStepError(image, 'the template has no image');
  return new UnsupportedStepError(
    image,
    `the sandbox does not know this image: it runs a step only as an image of its image manifest would run it (${knownImages()})`,
  );
}
