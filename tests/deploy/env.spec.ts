import { describe, expect, it } from '@jest/globals';
import { ConfigValidationError, loadEnv, type ConfigProblem } from '@platform/service-runtime';
import { containerEnv, containerOf, overlays } from './rendered';
import { envKeys, SERVICES } from './services';

describe.each(overlays())('$name overlay: container environments', (overlay) => {
  it.each(SERVICES)('$name sets only keys its env schema knows, and every required one', (service) => {
    const set = containerEnv(overlay.objects, containerOf(overlay.objects, service));
    const schema = envKeys(service);
    const unknown = [...set.keys()].filter((key) => !schema.some((described) => described.key === key));
    const missing = schema.filter((described) => described.required && !set.has(described.key));
    expect({ unknown, missing: missing.map((described) => described.key) }).toEqual({
      unknown: [],
      missing: [],
    });
  });

  it.each(SERVICES)('$name: every value the render knows passes the schema', (service) => {
    const values: Record<string, string> = {};
    for (const [key, setting] of containerEnv(overlay.objects, containerOf(overlay.objects, service))) {
      if (setting.value !== undefined) values[key] = setting.value;
    }
    let problems: ConfigProblem[] = [];
    try {
      loadEnv(service.schema, values);
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems = error.problems;
    }
    // Keys whose value lives outside the render (the production Redis Secret) cannot be judged.
    expect(problems.filter((problem) => values[problem.key] !== undefined)).toEqual([]);
  });

  it.each(SERVICES.filter((service) => envKeys(service).some((described) => described.key === 'REDIS_URL')))(
    '$name reads REDIS_URL from key url of Secret platform-api-redis',
    (service) => {
      const set = containerEnv(overlay.objects, containerOf(overlay.objects, service));
      expect(set.get('REDIS_URL')?.source).toBe('Secret platform-api-redis/url');
    },
  );

  it.each(SERVICES)('$name verifies tokens against a JWKS URL (never the development secret)', (service) => {
    const set = containerEnv(overlay.objects, containerOf(overlay.objects, service));
    expect(set.get('AUTH_JWKS_URL')?.value).toMatch(/^https:\/\//);
    // The images run with NODE_ENV=production, where the issuer is required and the secret refused.
    expect(set.get('AUTH_ISSUER')?.value).toMatch(/^https:\/\//);
    expect(set.has('AUTH_JWT_SECRET')).toBe(false);
  });

  it("monitoring reads STREAM_TICKET_SECRET from a Secret (its replicas open each other's tickets)", () => {
    const monitoring = SERVICES.find((service) => service.name === 'monitoring');
    if (monitoring === undefined) throw new Error('no monitoring service');
    const set = containerEnv(overlay.objects, containerOf(overlay.objects, monitoring));
    expect(set.get('STREAM_TICKET_SECRET')?.source).toBe('Secret platform-api-stream-tickets/secret');
  });
});
