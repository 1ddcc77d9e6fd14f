import { define, page } from "@/lib/web/define.ts";
import { openApiDocument } from "@/lib/web/openapi.ts";
import { Stylesheets } from "@/components/Stylesheets.tsx";

export const open = true;

type Op = {
  summary?: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string }>;
};

export const handler = define.handlers({
  GET: (c) =>
    page(
      openApiDocument(c.var.manifest, "0.1.0") as { paths: Record<string, Record<string, Op>> },
    ),
});

export default define.page<{ paths: Record<string, Record<string, Op>> }>(({ data }) => (
  <main class="api-docs">
    <Stylesheets names={["api-docs"]} />
    <h1>Hatch API</h1>
    <p>
      The machine-readable document is at <a href="/openapi.json">/openapi.json</a>{" "}
      (OpenAPI 3.1). Errors are <code>{'{"success": false, "error": "…"}'}</code> with a 4xx.
    </p>
    {Object.entries(data.paths).map(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => (
        <section class="api-op" id={`${method}-${path}`} key={`${method} ${path}`}>
          <h2>
            <span class={`method method-${method}`}>{method.toUpperCase()}</span>{" "}
            <code>{path}</code>
          </h2>
          <p>{op.summary}</p>
          {op.parameters?.length
            ? (
              <p>
                Parameters: {op.parameters.map((p) => (
                  <code key={`${p.in} ${p.name}`}>
                    {p.name}
                    {p.required ? "" : "?"} ({p.in}){" "}
                  </code>
                ))}
              </p>
            )
            : null}
          {op.requestBody && (
            <details>
              <summary>Request body</summary>
              <pre>{JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)}</pre>
            </details>
          )}
          <ul>
            {Object.entries(op.responses).map(([status, r]) => (
              <li key={status}>
                <code>{status}</code> {r.description}
              </li>
            ))}
          </ul>
        </section>
      ))
    )}
  </main>
));
