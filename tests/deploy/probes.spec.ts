import { afterAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containerEnv, containerOf, mountedConfigMapFiles, overlays } from './rendered';
import { SERVICES } from './services';

/** The Redis the integration tests use; the render's own Redis host only resolves in the cluster. */
const LOCAL_REDIS = 'redis://127.0.0.1:6379';

function localCopy(content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mounted-')), 'file');
  writeFileSync(file, content);
  return file;
}

function probePaths(container: IContainer): string[] {
  const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe];
  return probes.flatMap((probe) => (probe?.httpGet?.path === undefined ? [] : [probe.httpGet.path]));
}

const apps: NestFastifyApplication[] = [];
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  // ioredis' disconnect() (RedisModule's shutdown hook) arms a 2 s socket-destroy timer that is
  // not unref'd; outwait it so that jest exits cleanly instead of warning about open handles.
  await new Promise((resolve) => setTimeout(resolve, 2100));
});

describe.each(overlays())('$name overlay: probe paths are routes the apps serve', (overlay) => {
  it.each(SERVICES)('$name', async (service) => {
    const container = containerOf(overlay.objects, service);
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz/live');
    expect(container.readinessProbe?.httpGet?.path).toBe('/healthz/ready');

    // The app as this overlay configures it, except for where Redis is, with stand-ins for the
    // Secrets an operator creates and the mounted ConfigMap files copied to where env points.
    const env: Record<string, string> = {};
    const mounted = mountedConfigMapFiles(overlay.objects, service);
    for (const [key, setting] of containerEnv(overlay.objects, container)) {
      // The Secret's optional Redis keys serve one REDIS_MODE each and the services refuse those of
      // another mode; an operator creates only the ones of the configured mode, so they stay unset.
      if (key.startsWith('REDIS_') && setting.value === undefined && setting.optional === true) continue;
      const content = setting.value === undefined ? undefined : mounted.get(setting.value);
      if (content !== undefined) env[key] = localCopy(content);
      else env[key] = setting.value ?? `stand-in for ${setting.source}`;
    }
    if (containerEnv(overlay.objects, container).has('REDIS_URL')) env.REDIS_URL = LOCAL_REDIS;
    const app = await service.create(env);
    apps.push(app);

    for (const url of probePaths(container)) {
      const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).not.toEqual({ url, status: 404 });
    }
    const inject = (url: string) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url });
    expect((await inject('/healthz/live')).statusCode).toBe(200);
    // ...and a path the app does not serve is a 404, so the check above can fail.
    expect((await inject('/healthz/not-a-probe')).statusCode).toBe(404);
  });
});
