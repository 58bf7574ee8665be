import { openApiDocument } from '@/lib/openapi/document';

/**
 * GET /api/v1/openapi.json — the OpenAPI 3.1 document of the panel API (public: it describes
 * the API, it holds no data). Built from the code, so it changes only with a deploy.
 */
export function GET(): Response {
  return Response.json(openApiDocument(), {
    headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  });
}
