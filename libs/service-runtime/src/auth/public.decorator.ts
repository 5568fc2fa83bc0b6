import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'platform:public-route';

/** Marks a route that needs no token (health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
