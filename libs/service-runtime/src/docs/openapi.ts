import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { RuntimeConfig } from '../config/service-env';

export interface ApiDescription {
  title: string;
  description: string;
  version: string;
}

/**
 * Serves the OpenAPI document and UI at `/docs` (for the pod itself) and under the route prefix
 * (so they are reachable through the Ingress, which only routes the prefix to this service).
 */
export function setupOpenApi(
  app: INestApplication,
  config: RuntimeConfig,
  api: ApiDescription,
): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(api.title)
      .setDescription(api.description)
      .setVersion(api.version)
      .addBearerAuth()
      .build(),
  );
  for (const base of ['docs', `${config.routePrefix.slice(1)}/docs`]) {
    SwaggerModule.setup(base, app, document, {
      jsonDocumentUrl: `${base}/openapi.json`,
      yamlDocumentUrl: `${base}/openapi.yaml`,
      useGlobalPrefix: false,
    });
  }
  return document;
}
