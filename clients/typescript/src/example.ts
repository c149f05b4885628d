// How a partner's TypeScript code uses the client: typed calls through openapi-fetch over the types that
// openapi-typescript generates into ../generated/schema.d.ts (ci/clients.sh type-checks this file with them).
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/schema.js";

type Block = components["schemas"]["Block"];
type ErrorCode = components["schemas"]["ErrorCodeEnum"];

/**
 * What went wrong, for a log: the API's error code, or the HTTP status when the answer has no JSON body
 * (a 304, or a 414 from the web server in front of the API).
 */
export function problem(error: components["schemas"]["Error"] | undefined, response: Response): ErrorCode | string {
  return error ? error.error.code : `HTTP ${response.status}`;
}

/** A client for one BoneCare server; the API key is optional (it raises the rate limit). */
export function bonecare(baseUrl: string, apiKey?: string) {
  // "application/json": the answers this client asks for (an article's detail is also documented as
  // application/ld+json, schema.org JSON-LD); without it `data` is typed as either.
  return createClient<paths, "application/json">({ baseUrl, headers: apiKey ? { "X-API-Key": apiKey } : {} });
}

/** Plain text of a block, whichever kind it is: the compiler checks every kind is handled. */
export function blockText(block: Block): string {
  switch (block.type) {
    case "heading":
      return block.text;
    case "paragraph":
      return block.text;
    case "list":
      return block.items.join("\n");
    case "figure":
      return block.alt;
    default: {
      const unknownKind: never = block;
      return unknownKind;
    }
  }
}

export async function firstArticleInSpanish(baseUrl: string, apiKey?: string): Promise<string[]> {
  const api = bonecare(baseUrl, apiKey);
  const list = await api.GET("/api/v1/articles/", {
    params: { query: { lang: "es", level: "plain", page_size: 5 } },
  });
  if (!list.data) throw new Error(problem(list.error, list.response));
  const first = list.data.results[0];
  if (!first) return [];
  const detail = await api.GET("/api/v1/articles/{slug}/", {
    params: { path: { slug: first.slug }, query: { lang: "es", level: "plain" } },
  });
  if (!detail.data) throw new Error(problem(detail.error, detail.response));
  return detail.data.blocks.map(blockText);
}

export async function syncOnce(baseUrl: string, cursor?: string) {
  const { data, error, response } = await bonecare(baseUrl).GET("/api/v1/sync/", {
    params: { query: { lang: "fr", ...(cursor ? { cursor } : {}) } },
  });
  if (!data) throw new Error(problem(error, response));
  return { cursor: data.cursor, changed: data.articles.length, withdrawn: data.tombstones.map((tomb) => tomb.slug) };
}
