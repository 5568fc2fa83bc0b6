import {
  EnvBoolean,
  EnvDoc,
  RedisServiceEnv,
  WithArgoCd,
  WithArgoWorkflows,
  WithKubernetes,
  WithUpstreamTimeouts,
} from '@platform/service-runtime';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Environment of the summary service. */
export class SummaryEnv extends WithUpstreamTimeouts(
  WithKubernetes(WithArgoCd(WithArgoWorkflows(RedisServiceEnv))),
) {
  override PORT = 3003;
  override ROUTE_PREFIX = '/summary/v1';
  /** The collector's first lists (every app's Application and workflows) are large responses. */
  override UPSTREAM_TIMEOUT_MS = 60_000;

  @EnvDoc(
    'Prefix of every Redis key; must hold one {hash tag} so that all keys share a Redis Cluster slot (the list scripts read several at once)',
  )
  @Matches(/^[^{}]*\{[^{}]+\}[^{}]*$/, {
    message: 'SUMMARY_KEY_PREFIX must contain exactly one {hash tag}, e.g. {summary}:',
  })
  SUMMARY_KEY_PREFIX: string = '{summary}:';

  @EnvDoc('Whether this replica campaigns for the Lease and collects (false: it only serves reads)')
  @EnvBoolean()
  @IsBoolean({ message: 'SUMMARY_COLLECT must be true or false' })
  SUMMARY_COLLECT: boolean = true;

  @EnvDoc('A source disconnected (or a leader silent) for longer than this marks its parts stale')
  @IsInt({ message: 'SUMMARY_STALE_AFTER_MS must be an integer' })
  @Min(1000, { message: 'SUMMARY_STALE_AFTER_MS must be >= 1000' })
  SUMMARY_STALE_AFTER_MS: number = 30000;

  @EnvDoc('How long the collector gathers changes before writing them to Redis in one pipeline')
  @IsInt({ message: 'SUMMARY_FLUSH_MS must be an integer' })
  @Min(1, { message: 'SUMMARY_FLUSH_MS must be between 1 and 5000' })
  @Max(5000, { message: 'SUMMARY_FLUSH_MS must be between 1 and 5000' })
  SUMMARY_FLUSH_MS: number = 50;

  @EnvDoc(
    'Changes the Redis stream `<prefix>changes` keeps (about; trimmed by whole nodes) for `/stream` clients to resume from; an older Last-Event-ID gets a `snapshot` (reload the list)',
  )
  @IsInt({ message: 'SUMMARY_CHANGES_MAXLEN must be an integer' })
  @Min(100, { message: 'SUMMARY_CHANGES_MAXLEN must be between 100 and 1000000' })
  @Max(1_000_000, { message: 'SUMMARY_CHANGES_MAXLEN must be between 100 and 1000000' })
  SUMMARY_CHANGES_MAXLEN: number = 10_000;

  @EnvDoc(
    "Whether the leader stores a one-environment app's parts once (`@parts`, about 770 B per such app less in Redis). Every version from layout 5 on reads that form; older replicas serve it unexpanded, so turn it on once no replica of an older version serves",
  )
  @EnvBoolean()
  @IsBoolean({ message: 'SUMMARY_SHARED_PARTS must be true or false' })
  SUMMARY_SHARED_PARTS: boolean = false;

  @EnvDoc(
    "Namespace of the leader-election Lease; unset: the pod's own (from its service account), else default",
  )
  @IsOptional()
  @Matches(NAME, { message: 'LEADER_ELECTION_NAMESPACE must be a namespace name' })
  LEADER_ELECTION_NAMESPACE?: string;

  @EnvDoc('Name of the leader-election Lease')
  @Matches(NAME, { message: 'LEADER_ELECTION_LEASE must be a Lease name' })
  LEADER_ELECTION_LEASE: string = 'summary-collector';

  @EnvDoc('This replica’s identity in the Lease (the pod name); defaults to the host name')
  @IsOptional()
  @IsString()
  POD_NAME?: string;

  @EnvDoc('Seconds a Lease stays valid after its last renewal (whole seconds, as Leases store them)')
  @IsInt({ message: 'LEADER_ELECTION_LEASE_SECONDS must be an integer' })
  @Min(2, { message: 'LEADER_ELECTION_LEASE_SECONDS must be >= 2' })
  LEADER_ELECTION_LEASE_SECONDS: number = 15;
}
