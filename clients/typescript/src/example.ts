import createClient from "openapi-fetch";
import type { components, paths } from "./silk-api.js";

type Problem = components["schemas"]["ProblemDetails"];
type ValidationProblem = components["schemas"]["ValidationProblem"];
const isValidationProblem = (problem: Problem): problem is ValidationProblem => typeof problem.rule === "string";

// Typed by each route's application/json answer and its problem+json problems.
const silk = createClient<paths, "application/json" | "application/problem+json">({
  baseUrl: process.env.SILK_URL ?? "http://127.0.0.1:5080",
  headers: { Accept: "application/json" }, // and Authorization: `Bearer ${key}` when the server has keys
});

const { data, error } = await silk.POST("/nodes", {
  body: { node_id: "alice", node_type: "person", label: "Alice", properties: { name: "Alice" } },
});
if (data) console.log(data.node.node_id, data.hash);
else if (error && isValidationProblem(error)) console.log(error.status, error.rule, error.property, error.detail);

const page = await silk.GET("/tail", { params: { query: { cursor: "", timeout_ms: 0 } } });
for (const event of page.data?.events ?? []) console.log(event.op, event.node_id ?? event.edge_id);
