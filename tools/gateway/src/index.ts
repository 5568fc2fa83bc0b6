export { createGateway, type GatewayOptions } from './gateway';
export { readIngressRoutes, matchRoute, type IngressRoute } from './ingress-routes';
