import { describe, expect, it } from '@jest/globals';
import { Deployment, HorizontalPodAutoscaler, ofKind, PodDisruptionBudget } from './models';
import { find, overlays, renderDir } from './rendered';
import { selects } from './selectors';
import { SERVICES } from './services';

const AUTOSCALED = ['monitoring', 'summary'];

describe.each(overlays())('$name overlay: scaling and disruption', (overlay) => {
  it('monitoring and summary scale with an autoscaling/v2 HPA that owns their replica count', () => {
    const hpas = ofKind(overlay.objects, HorizontalPodAutoscaler);
    expect(hpas.map((hpa) => hpa.spec?.scaleTargetRef.name).sort()).toEqual(AUTOSCALED);
    for (const hpa of hpas) {
      const target = hpa.spec?.scaleTargetRef;
      expect(target).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
      const deployment = find(overlay.objects, Deployment, target?.name ?? '');
      // A replicas field would reset the HPA's count on every apply.
      expect(deployment.spec?.replicas).toBeUndefined();
      expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpa.spec?.maxReplicas).toBeGreaterThanOrEqual(hpa.spec?.minReplicas ?? 1);
    }
  });

  it.each(SERVICES)('$name has a PodDisruptionBudget selecting exactly its pods', (service) => {
    const deployments = ofKind(overlay.objects, Deployment);
    const budgets = ofKind(overlay.objects, PodDisruptionBudget).filter((pdb) =>
      selects(
        pdb.spec?.selector ?? {},
        find(overlay.objects, Deployment, service.name).spec?.template.metadata?.labels,
      ),
    );
    expect(budgets).toHaveLength(1);
    const selected = deployments.filter((d) =>
      selects(budgets[0]?.spec?.selector ?? {}, d.spec?.template.metadata?.labels),
    );
    expect(selected.map((d) => d.metadata?.name)).toEqual([service.name]);
  });
});

describe('PodDisruptionBudgets', () => {
  it.each(['base', 'overlays/prod'])('%s keeps one pod of each service available', (dir) => {
    const budgets = ofKind(renderDir(dir), PodDisruptionBudget);
    expect(budgets).toHaveLength(SERVICES.length);
    for (const pdb of budgets) expect(pdb.spec).toMatchObject({ minAvailable: 1 });
  });

  it('dev, with one replica, lets that pod be evicted rather than block node drains', () => {
    for (const pdb of ofKind(renderDir('overlays/dev'), PodDisruptionBudget)) {
      expect(pdb.spec?.minAvailable).toBeUndefined();
      expect(pdb.spec?.maxUnavailable).toBe(1);
    }
  });
});
