import { describe, expect, it } from '@jest/globals';
import { Deployment, ofKind } from './models';
import { containerEnv, containerOf, find, overlays } from './rendered';
import { envDefaults, SERVICES } from './services';

describe.each(overlays())('$name overlay: pods', (overlay) => {
  it.each(SERVICES)(
    '$name runs as uid 10001, non-root, read-only, no privileges, RuntimeDefault seccomp',
    (service) => {
      const pod = find(overlay.objects, Deployment, service.name).spec?.template.spec;
      const container = containerOf(overlay.objects, service);
      expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(container.securityContext?.runAsUser ?? pod?.securityContext?.runAsUser).toBe(10001);
      expect(
        container.securityContext?.seccompProfile?.type ?? pod?.securityContext?.seccompProfile?.type,
      ).toBe('RuntimeDefault');
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      expect(container.securityContext?.privileged ?? false).toBe(false);
      expect(container.securityContext?.capabilities).toEqual({ drop: ['ALL'] });
    },
  );

  it.each(SERVICES)('$name has a writable /tmp from an emptyDir', (service) => {
    const pod = find(overlay.objects, Deployment, service.name).spec?.template.spec;
    const mount = containerOf(overlay.objects, service).volumeMounts?.find((m) => m.mountPath === '/tmp');
    const volume = pod?.volumes?.find((v) => v.name === mount?.name);
    expect(volume?.emptyDir).toBeDefined();
    expect(mount?.readOnly ?? false).toBe(false);
  });

  it.each(SERVICES)('$name gets longer to stop than its own drain + shutdown timeout', (service) => {
    const pod = find(overlay.objects, Deployment, service.name).spec?.template.spec;
    const env = containerEnv(overlay.objects, containerOf(overlay.objects, service));
    const defaults = envDefaults(service);
    const drainMs = Number(env.get('SHUTDOWN_DRAIN_MS')?.value ?? defaults.SHUTDOWN_DRAIN_MS);
    const timeoutMs = Number(env.get('SHUTDOWN_TIMEOUT_MS')?.value ?? defaults.SHUTDOWN_TIMEOUT_MS);
    // The Kubernetes default is 30 s: say it explicitly rather than depend on it.
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan((drainMs + timeoutMs) / 1000);
  });

  it('every container of every Deployment has requests and limits, liveness and readiness probes', () => {
    for (const deployment of ofKind(overlay.objects, Deployment)) {
      for (const container of deployment.spec?.template.spec?.containers ?? []) {
        const where = `${deployment.metadata?.name ?? ''}/${container.name}`;
        expect({ where, resources: container.resources }).toMatchObject({
          where,
          resources: {
            requests: { cpu: expect.anything(), memory: expect.anything() },
            limits: { cpu: expect.anything(), memory: expect.anything() },
          },
        });
        expect({ where, live: !!container.livenessProbe, ready: !!container.readinessProbe }).toEqual({
          where,
          live: true,
          ready: true,
        });
      }
    }
  });

  it.each(SERVICES)("$name's probes use the named http port", (service) => {
    const container = containerOf(overlay.objects, service);
    const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe];
    for (const probe of probes.filter((p) => p !== undefined)) {
      expect(probe.httpGet?.port).toBe('http');
    }
    expect(container.ports?.map((port) => port.name)).toContain('http');
  });
});
