import { createHash } from 'node:crypto';

/** What one call answered, with what varies between registries (URLs, upload ids) normalised. */
export interface Observation {
  step: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const COMPARED_HEADERS = [
  'content-type',
  'content-length',
  'docker-content-digest',
  'docker-distribution-api-version',
  'location',
  'range',
  'etag',
  'docker-upload-uuid',
  'accept-ranges',
  'cache-control',
  'content-range',
  'link',
  'allow',
];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

export const digestOf = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Blobs and manifests every registry under test gets, byte for byte the same. */
export const CONTENT = (() => {
  const config = Buffer.from(
    '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}',
  );
  const layer = Buffer.from('layer bytes for the contract test, uploaded in two chunks');
  const other = Buffer.from('a third blob, pushed with a single POST that names its digest');
  const descriptor = (mediaType: string, bytes: Buffer): Record<string, unknown> => ({
    mediaType,
    size: bytes.length,
    digest: digestOf(bytes),
  });
  const docker = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: descriptor('application/vnd.docker.container.image.v1+json', config),
      layers: [descriptor('application/vnd.docker.image.rootfs.diff.tar.gzip', layer)],
    }),
  );
  const oci = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: descriptor('application/vnd.oci.image.config.v1+json', config),
      layers: [descriptor('application/vnd.oci.image.layer.v1.tar+gzip', layer)],
    }),
  );
  const missing = Buffer.from('never uploaded');
  const missingToo = Buffer.from('never uploaded either');
  const dangling = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: descriptor('application/vnd.docker.container.image.v1+json', missing),
      layers: [descriptor('application/vnd.docker.image.rootfs.diff.tar.gzip', missingToo)],
    }),
  );
  const mislabelled = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: descriptor('application/vnd.docker.container.image.v1+json', config),
      layers: [],
    }),
  );
  const configless = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] }),
  );
  const shortDigest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        size: 1,
        digest: `sha256:${'a'.repeat(40)}`,
      },
      layers: [],
    }),
  );
  return { config, layer, other, docker, oci, dangling, mislabelled, missing, configless, shortDigest };
})();

const MEDIA = {
  docker: 'application/vnd.docker.distribution.manifest.v2+json',
  oci: 'application/vnd.oci.image.manifest.v1+json',
};
const ACCEPT_ALL = `${MEDIA.docker}, ${MEDIA.oci}, application/vnd.oci.image.index.v1+json`;

/**
 * The same sequence of distribution API calls against any registry: uploads (monolithic, a POST
 * naming its digest, chunked), blob reads (whole, ranged, unknown, from another repository),
 * manifests of both schemas by tag and by digest, the errors a client meets (unknown tag and
 * repository, bad digest, missing blobs, wrong digest, invalid manifest), tag lists and deletes.
 */
export async function runSequence(base: string): Promise<Observation[]> {
  const out: Observation[] = [];
  const call = async (
    step: string,
    method: string,
    target: string,
    init: { headers?: Record<string, string>; body?: Buffer } = {},
  ): Promise<Response> => {
    const url = target.startsWith('http') ? target : `${base}${target}`;
    try {
      const res = await fetch(url, { method, headers: init.headers, body: init.body, redirect: 'manual' });
      out.push(await observe(step, res, base));
      return res;
    } catch (error) {
      throw new Error(`${step}: ${method} ${url} failed: ${String(error)}`, { cause: error });
    }
  };
  const location = (res: Response): string => res.headers.get('location') ?? '';
  const withDigest = (loc: string, digest: string): string => `${loc}&digest=${encodeURIComponent(digest)}`;
  const repo = '/v2/contract/app';

  await call('ping', 'GET', '/v2/');

  const started = await call('monolithic: start', 'POST', `${repo}/blobs/uploads/`);
  await call('monolithic: put', 'PUT', withDigest(location(started), digestOf(CONTENT.config)), {
    headers: { 'content-type': 'application/octet-stream' },
    body: CONTENT.config,
  });

  const single = await call(
    'post with digest',
    'POST',
    `${repo}/blobs/uploads/?digest=${digestOf(CONTENT.other)}`,
    {
      headers: { 'content-type': 'application/octet-stream' },
      body: CONTENT.other,
    },
  );
  if (single.status === 202) {
    await call('post with digest: put', 'PUT', withDigest(location(single), digestOf(CONTENT.other)), {
      body: CONTENT.other,
    });
  }

  const chunked = await call('chunked: start', 'POST', `${repo}/blobs/uploads/`);
  const half = Math.floor(CONTENT.layer.length / 2);
  const first = await call('chunked: patch 1', 'PATCH', location(chunked), {
    headers: { 'content-type': 'application/octet-stream' },
    body: CONTENT.layer.subarray(0, half),
  });
  const second = await call('chunked: patch 2', 'PATCH', location(first), {
    headers: { 'content-type': 'application/octet-stream' },
    body: CONTENT.layer.subarray(half),
  });
  await call('chunked: status', 'GET', location(second));
  await call('chunked: put', 'PUT', withDigest(location(second), digestOf(CONTENT.layer)));
  await call('chunked: stale state', 'PATCH', location(first), { body: Buffer.from('x') });

  const wrong = await call('wrong digest: start', 'POST', `${repo}/blobs/uploads/`);
  await call('wrong digest: put', 'PUT', withDigest(location(wrong), digestOf('something else')), {
    body: CONTENT.layer,
  });
  const nodigest = await call('no digest: start', 'POST', `${repo}/blobs/uploads/`);
  await call('no digest: put', 'PUT', location(nodigest), { body: CONTENT.layer });
  await call(
    'bad upload state',
    'GET',
    `${repo}/blobs/uploads/0d2e8f3c-1111-4222-8333-944445555666?_state=bm90LWEtc3RhdGU=`,
  );

  const layer = digestOf(CONTENT.layer);
  await call('blob: head', 'HEAD', `${repo}/blobs/${layer}`);
  await call('blob: get', 'GET', `${repo}/blobs/${layer}`);
  await call('blob: range', 'GET', `${repo}/blobs/${layer}`, { headers: { range: 'bytes=0-9' } });
  await call('blob: range past the end', 'GET', `${repo}/blobs/${layer}`, {
    headers: { range: `bytes=${CONTENT.layer.length + 5}-` },
  });
  await call('blob: if-none-match', 'GET', `${repo}/blobs/${layer}`, {
    headers: { 'if-none-match': `"${layer}"` },
  });
  await call('blob: unknown', 'GET', `${repo}/blobs/${digestOf('nothing')}`);
  await call('blob: unknown head', 'HEAD', `${repo}/blobs/${digestOf('nothing')}`);
  await call('blob: other repository', 'GET', `/v2/contract/other/blobs/${layer}`);
  await call('blob: bad digest', 'GET', `${repo}/blobs/sha256:${'a'.repeat(40)}`);
  await call('blob: unknown algorithm', 'GET', `${repo}/blobs/md5:${'a'.repeat(32)}`);

  const dockerDigest = digestOf(CONTENT.docker);
  const ociDigest = digestOf(CONTENT.oci);
  await call('manifest: put docker v2', 'PUT', `${repo}/manifests/v1`, {
    headers: { 'content-type': MEDIA.docker },
    body: CONTENT.docker,
  });
  await call('manifest: put oci', 'PUT', `${repo}/manifests/v2`, {
    headers: { 'content-type': MEDIA.oci },
    body: CONTENT.oci,
  });
  await call('manifest: put by digest', 'PUT', `${repo}/manifests/${dockerDigest}`, {
    headers: { 'content-type': MEDIA.docker },
    body: CONTENT.docker,
  });
  await call('manifest: put by a digest that does not match', 'PUT', `${repo}/manifests/${ociDigest}`, {
    headers: { 'content-type': MEDIA.docker },
    body: CONTENT.docker,
  });
  await call('manifest: put missing blobs', 'PUT', `${repo}/manifests/broken`, {
    headers: { 'content-type': MEDIA.docker },
    body: CONTENT.dangling,
  });
  await call('manifest: put mislabelled', 'PUT', `${repo}/manifests/bad`, {
    headers: { 'content-type': MEDIA.docker },
    body: CONTENT.mislabelled,
  });
  await call('manifest: put without a config', 'PUT', `${repo}/manifests/bad`, {
    headers: { 'content-type': MEDIA.oci },
    body: CONTENT.configless,
  });
  await call('manifest: put a config digest of a wrong length', 'PUT', `${repo}/manifests/bad`, {
    headers: { 'content-type': MEDIA.oci },
    body: CONTENT.shortDigest,
  });
  await call('manifest: put not json', 'PUT', `${repo}/manifests/bad`, {
    headers: { 'content-type': MEDIA.oci },
    body: Buffer.from('{not json'),
  });

  const accept = { accept: ACCEPT_ALL };
  await call('manifest: head by tag', 'HEAD', `${repo}/manifests/v1`, { headers: accept });
  await call('manifest: get by tag', 'GET', `${repo}/manifests/v1`, { headers: accept });
  await call('manifest: get by digest', 'GET', `${repo}/manifests/${dockerDigest}`, { headers: accept });
  await call('manifest: head oci by digest', 'HEAD', `${repo}/manifests/${ociDigest}`, { headers: accept });
  await call('manifest: get oci by tag', 'GET', `${repo}/manifests/v2`, { headers: accept });
  await call('manifest: oci without accepting it', 'GET', `${repo}/manifests/v2`, {
    headers: { accept: MEDIA.docker },
  });
  await call('manifest: if-none-match', 'GET', `${repo}/manifests/v1`, {
    headers: { ...accept, 'if-none-match': `"${dockerDigest}"` },
  });
  await call('manifest: unknown tag', 'GET', `${repo}/manifests/nope`, { headers: accept });
  await call('manifest: unknown tag head', 'HEAD', `${repo}/manifests/nope`, { headers: accept });
  await call('manifest: unknown digest', 'GET', `${repo}/manifests/${digestOf('nope')}`, { headers: accept });
  await call('manifest: unknown repository', 'GET', '/v2/contract/none/manifests/v1', { headers: accept });
  await call('manifest: bad reference', 'GET', `${repo}/manifests/-bad`, { headers: accept });

  await call('tags', 'GET', `${repo}/tags/list`);
  await call('tags: paged', 'GET', `${repo}/tags/list?n=1`);
  await call('tags: unknown repository', 'GET', '/v2/contract/none/tags/list');
  await call('catalog', 'GET', '/v2/_catalog');
  await call('catalog: paged', 'GET', '/v2/_catalog?n=1');

  await call('delete: by tag', 'DELETE', `${repo}/manifests/v2`);
  await call('delete: by digest', 'DELETE', `${repo}/manifests/${ociDigest}`);
  await call('delete: again', 'DELETE', `${repo}/manifests/${ociDigest}`);
  await call('deleted: get', 'GET', `${repo}/manifests/${ociDigest}`, { headers: accept });
  await call('deleted: tag gone', 'GET', `${repo}/manifests/v2`, { headers: accept });
  await call('tags after delete', 'GET', `${repo}/tags/list`);
  await call('delete: blob', 'DELETE', `${repo}/blobs/${digestOf(CONTENT.other)}`);
  await call('deleted blob: head', 'HEAD', `${repo}/blobs/${digestOf(CONTENT.other)}`);
  await call('method not allowed', 'POST', `${repo}/manifests/v1`);
  await call('no such route', 'GET', '/v2/contract/app/nothing');
  return out;
}

async function observe(step: string, res: Response, base: string): Promise<Observation> {
  const headers: Record<string, string> = {};
  for (const name of COMPARED_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers[name] = normalise(value, base);
  }
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await res.arrayBuffer());
  } catch {
    // The server promised more than it sent and closed the connection.
    return { step, status: res.status, headers, body: '<connection closed before the body ended>' };
  }
  const type = res.headers.get('content-type') ?? '';
  let body: unknown = bytes.length === 0 ? '' : `${bytes.length} bytes ${digestOf(bytes)}`;
  if (type.startsWith('application/json') && bytes.length > 0) {
    body = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof body === 'object' && body !== null && Array.isArray((body as { tags?: unknown }).tags)) {
      // distribution 2.8 lists tags in directory order; compare them as a set.
      (body as { tags: string[] }).tags.sort();
    }
  } else if (type.startsWith('text/plain')) {
    body = bytes.toString('utf8');
  }
  return { step, status: res.status, headers, body };
}

function normalise(value: string, base: string): string {
  return value
    .split(base)
    .join('<origin>')
    .replace(UUID, '<uuid>')
    .replace(/_state=[^&]+/, '_state=<state>');
}
