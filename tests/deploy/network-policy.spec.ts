import { describe, expect, it } from '@jest/globals';
import { Deployment, NetworkPolicy, ofKind } from './models';
import { find, overlays } from './rendered';
import { selects } from './selectors';
import { SERVICES } from './services';

const HTTP_ONLY = [{ protocol: 'TCP', port: 'http' }];

describe.each(overlays())('$name overlay: network policy', (overlay) => {
  const policies = ofKind(overlay.objects, NetworkPolicy);
  const podLabels = (name: string) => find(overlay.objects, Deployment, name).spec?.template.metadata?.labels;

  it.each(SERVICES)(
    '$name accepts traffic only from ingress-nginx and Prometheus, on http; egress is open',
    (service) => {
      const applying = policies.filter((policy) =>
        selects(policy.spec?.podSelector ?? {}, podLabels(service.name)),
      );
      expect(applying.map((policy) => policy.metadata?.name)).toEqual(['platform-api']);
      const spec = applying[0]?.spec;
      // Egress stays open on purpose (API server, Argo, Redis, DNS, JWKS): see deploy/README.md.
      expect(spec?.policyTypes).toEqual(['Ingress']);
      expect(spec?.egress).toBeUndefined();
      expect(spec?.ingress).toEqual([
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
          ports: HTTP_ONLY,
        },
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
            },
          ],
          ports: HTTP_ONLY,
        },
      ]);
    },
  );

  it('a development Redis, if any, is reachable only from the services that use it', () => {
    const redis = ofKind(overlay.objects, Deployment).find((d) => d.metadata?.name === 'redis');
    if (!redis) return;
    const applying = policies.filter((policy) =>
      selects(policy.spec?.podSelector ?? {}, redis.spec?.template.metadata?.labels),
    );
    expect(applying).toHaveLength(1);
    const peers = applying[0]?.spec?.ingress?.flatMap((rule) => rule.from ?? []) ?? [];
    const allowed = ofKind(overlay.objects, Deployment)
      .filter((d) =>
        peers.some(
          (peer) =>
            !peer.namespaceSelector && selects(peer.podSelector ?? {}, d.spec?.template.metadata?.labels),
        ),
      )
      .map((d) => d.metadata?.name);
    expect(allowed.sort()).toEqual(['summary', 'task']);
  });
});
