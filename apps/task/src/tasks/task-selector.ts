import { ArgoLabels, labelEquals, labelIn, Labels, type TaskPhase } from '@platform/domain';
import type { Principal } from '@platform/service-runtime';
import type { ListTasksQuery } from './tasks.dto';

/** Argo phases a task phase can come from (Cancelled and Failed both end Failed/Error in Argo). */
const ARGO_PHASES: Record<TaskPhase, string[] | undefined> = {
  Pending: undefined, // also workflows the controller has not labelled yet: filtered after the list
  Running: ['Running'],
  // A Running workflow waiting at its approval step: told apart after the list.
  'Pending approval': ['Running'],
  Succeeded: ['Succeeded'],
  Failed: ['Failed', 'Error'],
  Cancelled: ['Failed', 'Error'],
};

/**
 * The label selector of a task list: only the platform's workflows, the caller's teams unless
 * admin, and the filters. Authorization is part of the query, so a page never holds tasks the
 * caller may not see. Returns undefined when the caller can see nothing.
 */
export function taskSelector(query: ListTasksQuery, principal: Principal): string | undefined {
  const parts = [query.type === undefined ? Labels.taskType : labelEquals(Labels.taskType, query.type)];
  if (query.app !== undefined) parts.push(labelEquals(Labels.app, query.app));
  if (!principal.admin) {
    if (principal.teams.length === 0) return undefined;
    // Each team checked on its own (labelIn); the token's teams are DNS-1123 labels already.
    parts.push(labelIn(Labels.team, principal.teams));
  }
  const phases = query.phase === undefined ? undefined : ARGO_PHASES[query.phase];
  if (phases !== undefined) parts.push(labelIn(ArgoLabels.phase, phases));
  return parts.join(',');
}
