import type { Gateway } from '../../grpc-gateway';
import type { ArgoCdCaller } from './session';

/** The Argo CD server's gateway: every authenticated call carries the session's account and claims. */
export type ArgoCdGateway = Gateway<ArgoCdCaller>;
