import { digestProblem, digestWithAlgorithmOf } from './reference-grammar';
import { readBody, sendEmpty, type RegistryExchange } from './registry-exchange';
import { DistributionError, GO_ERROR_DETAIL } from './registry-errors';
import type { Upload } from './upload-sessions';

/**
 * The blob upload routes (distribution registry/handlers/blobupload.go): POST starts an upload
 * (or mounts a blob from another repository), PATCH appends a chunk, PUT `?digest=` appends the
 * last bytes and commits them after checking the digest, GET/HEAD report progress, DELETE
 * cancels. Every step answers with a fresh `_state` in its Location. distribution 2.8 ignores a
 * `digest` on the POST (no single-request upload): the client still PUTs.
 */
export async function handleUpload(
  x: RegistryExchange,
  name: string,
  uuid: string | undefined,
): Promise<void> {
  if (x.method === 'POST') {
    startUpload(x, name);
    return;
  }
  const upload = resume(x, name, uuid);
  switch (x.method) {
    case 'GET':
    case 'HEAD':
      sendEmpty(x.res, 204, progressHeaders(x, upload));
      return;
    case 'PATCH': {
      const type = x.req.headers['content-type'];
      if (type !== undefined && type !== '' && type !== 'application/octet-stream') {
        throw new DistributionError('UNKNOWN', GO_ERROR_DETAIL);
      }
      x.storage.uploads.append(upload, (await readBody(x.req)) ?? Buffer.alloc(0));
      sendEmpty(x.res, 202, progressHeaders(x, upload));
      return;
    }
    case 'PUT':
      await completeUpload(x, name, upload);
      return;
    case 'DELETE':
      x.storage.uploads.finish(upload);
      sendEmpty(x.res, 204, { 'Docker-Upload-UUID': upload.uuid });
      return;
  }
}

function startUpload(x: RegistryExchange, name: string): void {
  const from = x.query.get('from') ?? '';
  const mount = x.query.get('mount') ?? '';
  if (from !== '' && mount !== '' && digestProblem(mount) === undefined) {
    if (x.storage.blobSize(from, mount) !== undefined) {
      x.storage.linkBlob(name, mount);
      blobCreated(x, name, mount);
      return;
    }
  }
  x.storage.touch(name);
  const upload = x.storage.uploads.start(name);
  sendEmpty(x.res, 202, progressHeaders(x, upload));
}

/** The upload a `_state` token names, checked as distribution's blobUploadDispatcher checks it. */
function resume(x: RegistryExchange, name: string, uuid: string | undefined): Upload {
  if (uuid === undefined) throw new DistributionError('BLOB_UPLOAD_UNKNOWN');
  const state = x.storage.uploads.unpack(x.query.get('_state') ?? '');
  if (state === undefined) throw new DistributionError('BLOB_UPLOAD_INVALID', GO_ERROR_DETAIL);
  if (state.Name !== name || state.UUID !== uuid) throw new DistributionError('BLOB_UPLOAD_INVALID');
  const upload = x.storage.uploads.get(uuid);
  if (upload === undefined) throw new DistributionError('BLOB_UPLOAD_UNKNOWN', GO_ERROR_DETAIL);
  if (upload.size !== state.Offset) {
    x.storage.uploads.finish(upload);
    throw new DistributionError('BLOB_UPLOAD_INVALID');
  }
  return upload;
}

async function completeUpload(x: RegistryExchange, name: string, upload: Upload): Promise<void> {
  const digest = x.query.get('digest') ?? '';
  if (digest === '') throw new DistributionError('DIGEST_INVALID', 'digest missing');
  if (digestProblem(digest) !== undefined)
    throw new DistributionError('DIGEST_INVALID', 'digest parsing failed');
  x.storage.uploads.append(upload, (await readBody(x.req)) ?? Buffer.alloc(0));
  const bytes = await x.storage.uploads.contents(upload);
  const actual = digestWithAlgorithmOf(digest, bytes);
  if (actual !== digest) {
    x.storage.uploads.finish(upload);
    throw new DistributionError('DIGEST_INVALID', { Digest: digest, Reason: GO_ERROR_DETAIL });
  }
  x.storage.putBlob(name, bytes, digest);
  x.storage.uploads.finish(upload);
  blobCreated(x, name, digest);
}

function blobCreated(x: RegistryExchange, name: string, digest: string): void {
  sendEmpty(x.res, 201, {
    Location: `${x.origin}/v2/${name}/blobs/${digest}`,
    'Docker-Content-Digest': digest,
  });
}

function progressHeaders(x: RegistryExchange, upload: Upload): Record<string, string> {
  const state = new URLSearchParams({ _state: x.storage.uploads.pack(upload) });
  return {
    'Docker-Upload-UUID': upload.uuid,
    Location: `${x.origin}/v2/${upload.repository}/blobs/uploads/${upload.uuid}?${state.toString()}`,
    Range: `0-${Math.max(0, upload.size - 1)}`,
  };
}
