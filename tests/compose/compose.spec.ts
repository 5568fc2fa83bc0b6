import { describe, expect, it } from '@jest/globals';
import Ajv from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readIngressRoutes } from '@platform/gateway';
import { REPO_ROOT } from '../deploy/rendered';
import { envDefaults, envKeys, SERVICES } from '../deploy/services';

interface ComposeService {
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const SPEC = path.resolve(REPO_ROOT, '..', 'shared', 'specs', 'compose-spec.json');
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

if (!existsSync(SPEC)) console.log('compose spec validation skipped: ../shared not found');
(existsSync(SPEC) ? describe : describe.skip)('docker-compose.yml against the Compose specification', () => {
  it('is valid', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // The spec names draft-07 by an https URL Ajv does not know; it is Ajv's default draft anyway.
    const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as Record<string, unknown>;
    delete spec.$schema;
    const validate = ajv.compile(spec);
    // The raw document, merge keys and all (the spec allows x- extensions), as docker compose reads it.
    validate(parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }));
    expect(validate.errors ?? []).toEqual([]);
  });
});

describe('docker-compose.yml against the apps', () => {
  it.each(SERVICES)('$name: sets only keys its config schema knows, and every required one', (app) => {
    const keys = envKeys(app);
    const environment = service(app.name).environment ?? {};
    const unknown = Object.keys(environment).filter((key) => !keys.some((k) => k.key === key));
    const missing = keys
      .filter((k) => k.required && environment[k.key] === undefined)
      .map((k) => k.key)
      // Required unless another key is set (AUTH_JWKS_URL vs AUTH_JWT_SECRET, passwords vs tokens).
      .filter((key) => !(key === 'ARGOCD_PASSWORD' && environment.ARGOCD_TOKEN !== undefined));
    expect({ unknown, missing }).toEqual({ unknown: [], missing: [] });
  });

  it.each(SERVICES)(
    "$name: is built from the repo's Dockerfile as SERVICE=$name, published and health-checked on its port",
    (app) => {
      const { build, ports, healthcheck, depends_on: dependsOn } = service(app.name);
      const port = String(envDefaults(app).PORT);
      expect(build?.dockerfile).toBe('Dockerfile');
      expect(build?.args).toEqual({ SERVICE: app.name });
      expect(existsSync(path.join(REPO_ROOT, build?.dockerfile ?? ''))).toBe(true);
      expect(ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/healthz/ready`);
      expect(dependsOn?.sandbox?.condition).toBe('service_healthy');
    },
  );

  it.each(['gateway', 'sandbox'])(
    "%s is built from the repo's Dockerfile with SERVICE set to its name",
    (name) => {
      expect(service(name).build).toEqual({
        context: '.',
        dockerfile: 'Dockerfile',
        args: { SERVICE: name },
      });
    },
  );

  it('publishes every port on 127.0.0.1 only (the sandbox admin API hands out tokens to whoever asks)', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((port) => [name, port] as const),
    );
    expect(published.map(([name]) => name)).toEqual(expect.arrayContaining(['sandbox', 'gateway']));
    expect(published.filter(([, port]) => !port.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it("routes the gateway to every service of the Ingress, on the service's port", () => {
    const backends = Object.fromEntries(
      (service('gateway').command ?? [])
        .filter((arg) => arg.startsWith('--backend='))
        .map((arg) => arg.slice('--backend='.length).split(/=(.*)/s).slice(0, 2)),
    ) as Record<string, string>;
    const routed = [
      ...new Set(
        readIngressRoutes(path.join(REPO_ROOT, 'deploy', 'base', 'ingress.yaml')).map((r) => r.service),
      ),
    ];
    expect(Object.keys(backends).sort()).toEqual(routed.sort());
    for (const app of SERVICES) {
      expect(backends[app.name]).toBe(`http://${app.name}:${envDefaults(app).PORT}`);
      expect(service('gateway').depends_on?.[app.name]?.condition).toBe('service_healthy');
    }
  });

  it('points the services at the sandbox by the name it advertises', () => {
    const sandboxArgs = service('sandbox').command ?? [];
    expect(sandboxArgs).toContain('--advertise=sandbox');
    const task = service('task').environment ?? {};
    expect(task.AUTH_ISSUER).toBe('http://sandbox:7104');
    expect(task.GIT_SERVER_URL).toBe('http://sandbox:7103');
    // The catalog the task service reads is mounted where TEMPLATES_CATALOG_FILE says.
    expect(service('task').volumes).toContain(
      `./deploy/templates/catalog.yaml:${task.TEMPLATES_CATALOG_FILE ?? ''}:ro`,
    );
  });
});
