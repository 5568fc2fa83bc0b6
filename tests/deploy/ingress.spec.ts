import { describe, expect, it } from '@jest/globals';
import { Deployment, Ingress, ofKind, Service } from './models';
import { containerEnv, containerOf, find, overlays } from './rendered';
import { selectsByMap } from './selectors';
import { envDefaults, SERVICES } from './services';

const SSE_ANNOTATIONS = {
  'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
  'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
  'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
  'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
};

describe.each(overlays())('$name overlay: the Ingress', (overlay) => {
  const ingresses = ofKind(overlay.objects, Ingress);
  const paths = ingresses.flatMap(
    (ingress) => ingress.spec?.rules?.flatMap((rule) => rule.http?.paths ?? []) ?? [],
  );

  it('is one nginx Ingress with the proxy settings Server-Sent Events need', () => {
    expect(ingresses).toHaveLength(1);
    expect(ingresses[0]?.spec?.ingressClassName).toBe('nginx');
    expect(ingresses[0]?.metadata?.annotations).toMatchObject(SSE_ANNOTATIONS);
    expect(paths).toHaveLength(SERVICES.length);
  });

  it.each(SERVICES)(
    "routes $name's route prefix to the $name Service, and on to a named container port",
    (service) => {
      const container = containerOf(overlay.objects, service);
      const env = containerEnv(overlay.objects, container);
      const defaults = envDefaults(service);
      const prefix = env.get('ROUTE_PREFIX')?.value ?? defaults.ROUTE_PREFIX;
      const port = Number(env.get('PORT')?.value ?? defaults.PORT);

      // Prefix matching is per path element: /task covers /task/v1/... but not /tasks.
      const routed = paths.filter((p) => prefix === p.path || prefix.startsWith(`${p.path}/`));
      expect(routed).toHaveLength(1);
      const rule = routed[0];
      expect(rule?.pathType).toBe('Prefix');
      expect(rule?.backend.service?.name).toBe(service.name);

      const backend = find(overlay.objects, Service, service.name);
      const backendPort = rule?.backend.service?.port;
      const servicePort = backend.spec?.ports?.find((p) =>
        backendPort?.name === undefined ? p.port === backendPort?.number : p.name === backendPort.name,
      );
      expect(servicePort).toBeDefined();
      expect(typeof servicePort?.targetPort).toBe('string');

      const selected = ofKind(overlay.objects, Deployment).filter((d) =>
        selectsByMap(backend.spec?.selector, d.spec?.template.metadata?.labels),
      );
      expect(selected.map((d) => d.metadata?.name)).toEqual([service.name]);
      const containerPort = container.ports?.find((p) => p.name === servicePort?.targetPort);
      expect(containerPort?.containerPort).toBe(port);
    },
  );
});
