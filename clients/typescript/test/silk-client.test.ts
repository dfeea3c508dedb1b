// The generated types (src/silk-api.d.ts, from openapi.yaml) and openapi-fetch against a running Silk server at
// SILK_URL (with SILK_API_KEY when it has keys; an admin key reaches every route used here). The server's
// ontology must be the default one of Silk.Api/appsettings.json (person, document, AUTHORED). Every id is unique
// to the run, so the tests also hold on a server that has data; the tests in this file run one after another.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import createClient from "openapi-fetch";
import { MsgPackReader } from "../src/msgpack.js";
import type { components, paths } from "../src/silk-api.js";
import { readEventStream } from "../src/sse.js";

type Schemas = components["schemas"];
type ProblemDetails = Schemas["ProblemDetails"];
type ValidationProblem = Schemas["ValidationProblem"];
type TailEvent = Schemas["TailEvent"];

const baseUrl = process.env.SILK_URL ?? assert.fail("set SILK_URL to the server's address, e.g. http://127.0.0.1:5080");
const apiKey = process.env.SILK_API_KEY;
const authorization: Record<string, string> = apiKey ? { Authorization: `Bearer ${apiKey}` } : {};

/** A client that speaks JSON: answers are typed by their application/json schema, problems by their problem+json one. */
const silk = createClient<paths, "application/json" | "application/problem+json">({
  baseUrl,
  headers: { Accept: "application/json", ...authorization },
});

/** Waits are for the answer itself; this only keeps a broken server from hanging the run. */
const deadline = () => AbortSignal.timeout(60_000);

const run = randomUUID().slice(0, 8);
const id = (name: string) => `ts-${run}-${name}`;

/** The 422 body of a write, told apart from the operation's other problems by the member every refusal carries. */
function isValidationProblem(problem: ProblemDetails): problem is ValidationProblem {
  return typeof problem.rule === "string";
}

function isTailEvent(value: unknown): value is TailEvent {
  if (typeof value !== "object" || value === null) return false;
  const event: { [key: string]: unknown } = { ...value };
  return typeof event.hash === "string" && typeof event.op === "string" && typeof event.payload === "object";
}

async function createPerson(name: string): Promise<Schemas["NodeWritten"]> {
  const { data, error, response } = await silk.POST("/nodes", {
    body: { node_id: id(name), node_type: "person", label: name, properties: { name, email: `${name}@example.org` } },
  });
  assert.equal(response.status, 201, JSON.stringify(error));
  assert.ok(data);
  return data;
}

/** The cursor of everything written so far: a tail from it sees only what comes next. */
async function cursorNow(): Promise<string> {
  const { data, error } = await silk.GET("/tail", { params: { query: { cursor: "now", timeout_ms: 0 } }, signal: deadline() });
  assert.ok(data, JSON.stringify(error));
  return data.cursor.join(",");
}

test("creates two nodes and an edge and reads them back", async () => {
  const alice = await createPerson("alice");
  assert.match(alice.hash, /^[0-9a-f]{64}$/);
  const paper = await silk.POST("/nodes", {
    body: { node_id: id("paper"), node_type: "document", label: "A paper", properties: { name: "paper", title: `Paper ${run}`, tags: ["crdt", 1] } },
  });
  assert.equal(paper.response.status, 201);
  assert.ok(paper.data);

  const edge = await silk.POST("/edges", {
    body: { edge_id: id("wrote"), edge_type: "AUTHORED", source_id: id("alice"), target_id: id("paper"), properties: { year: 2026 } },
  });
  assert.equal(edge.response.status, 201, JSON.stringify(edge.error));
  assert.ok(edge.data);

  const read = await silk.GET("/nodes/{id}", { params: { path: { id: id("alice") } } });
  assert.ok(read.data, JSON.stringify(read.error));
  const node: Schemas["Node"] = read.data;
  assert.deepEqual(node, {
    node_id: id("alice"),
    node_type: "person",
    subtype: null,
    label: "alice",
    properties: { name: "alice", email: "alice@example.org" },
  });

  const readEdge = await silk.GET("/edges/{id}", { params: { path: { id: id("wrote") } } });
  assert.ok(readEdge.data, JSON.stringify(readEdge.error));
  assert.deepEqual(readEdge.data, {
    edge_id: id("wrote"),
    edge_type: "AUTHORED",
    source_id: id("alice"),
    target_id: id("paper"),
    properties: { year: 2026 },
  });

  const outgoing = await silk.GET("/nodes/{id}/edges", { params: { path: { id: id("alice") }, query: { direction: "out" } } });
  assert.ok(outgoing.data);
  assert.deepEqual(outgoing.data.items.map((e) => e.edge_id), [id("wrote")]);
});

test("POST /query follows an edge back from a document to its author", async () => {
  const { data, error } = await silk.POST("/query", {
    body: {
      nodes: "document",
      steps: [{ where: { title: `Paper ${run}` } }, { follow: "AUTHORED", direction: "in" }],
      select: "nodes",
    },
  });
  assert.ok(data, JSON.stringify(error));
  assert.equal(data.count, 1);
  assert.deepEqual(data.nodes?.map((n) => n.node_id), [id("alice")]);

  const ids = await silk.POST("/query", { body: { nodes: "person", steps: [{ where: { name: "alice" } }], select: "ids" } });
  assert.ok(ids.data);
  assert.ok(ids.data.ids?.includes(id("alice")));
  assert.equal(ids.data.nodes, undefined);
});

test("a refused write is a typed 422 problem naming the rule, and writes nothing", async () => {
  const unknown = await silk.POST("/nodes", { body: { node_id: id("ship"), node_type: "spaceship", label: "Ship" } });
  assert.equal(unknown.response.status, 422);
  assert.equal(unknown.response.headers.get("content-type"), "application/problem+json");
  assert.equal(unknown.data, undefined);
  assert.ok(unknown.error && isValidationProblem(unknown.error), JSON.stringify(unknown.error));
  const rule: string = unknown.error.rule;
  assert.equal(rule, "unknown_node_type");
  assert.equal(unknown.error.type_name, "spaceship");
  assert.equal(unknown.error.status, 422);
  assert.match(unknown.error.detail ?? "", /spaceship/);

  const badEmail = await silk.POST("/nodes", {
    body: { node_id: id("bob"), node_type: "person", label: "Bob", properties: { name: "Bob", email: "not an address" } },
  });
  assert.equal(badEmail.response.status, 422);
  assert.ok(badEmail.error && isValidationProblem(badEmail.error), JSON.stringify(badEmail.error));
  assert.equal(badEmail.error.rule, "constraint_violation");
  assert.equal(badEmail.error.property, "email");
  assert.equal(badEmail.error.constraint, "pattern");

  const missing = await silk.GET("/nodes/{id}", { params: { path: { id: id("bob") } } });
  assert.equal(missing.response.status, 404);
  assert.ok(missing.error);
  assert.equal(missing.error.status, 404);
});

test("a long-poll GET /tail waits for and returns the entries after its cursor", async () => {
  const cursor = await cursorNow();
  // The poll may reach the server before or after the write: either way its answer holds the entry.
  const poll = silk.GET("/tail", { params: { query: { cursor, timeout_ms: 30_000 } }, signal: deadline() });
  const carol = await createPerson("carol");

  const { data, error } = await poll;
  assert.ok(data, JSON.stringify(error));
  assert.equal(data.up_to_date, true);
  assert.deepEqual(data.events.map((e) => e.hash), [carol.hash]);
  const [event] = data.events;
  assert.ok(event);
  assert.equal(event.op, "add_node");
  assert.equal(event.node_id, id("carol"));
  assert.equal(event.node_type, "person");
  assert.equal(event.local, false);
  assert.equal(event.payload.op, "add_node");
  // Members that do not apply to the operation are absent, as the schema says (optional, not null).
  assert.equal("edge_id" in event, false);
  assert.equal(event.subtype, undefined);
  assert.deepEqual(data.cursor, [carol.hash]);

  const after = await silk.GET("/tail", { params: { query: { cursor: data.cursor.join(","), timeout_ms: 0 } } });
  assert.ok(after.data);
  assert.deepEqual(after.data.events, []);
});

test("an SSE GET /tail delivers entry events as they are written", async () => {
  const cursor = await cursorNow();
  // Ends the stream when the test is done with it, or when the deadline passes without two entries.
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new Error("no two entry events within 60 s")), 60_000).unref();
  const { data: body, error, response } = await silk.GET("/tail", {
    params: { query: { cursor } },
    headers: { Accept: "text/event-stream" },
    parseAs: "stream",
    signal: stop.signal,
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  assert.ok(body);

  try {
    const written = [await createPerson("dave"), await createPerson("erin")];
    const entries: { event: TailEvent; lastEventId: string | undefined }[] = [];
    for await (const message of readEventStream(body)) {
      if (message.event !== "entry") continue;
      const event: unknown = JSON.parse(message.data);
      assert.ok(isTailEvent(event), message.data);
      entries.push({ event, lastEventId: message.lastEventId });
      if (entries.length === 2) break;
    }

    assert.deepEqual(entries.map((e) => e.event.hash), written.map((w) => w.hash));
    assert.deepEqual(entries.map((e) => e.event.node_id), [id("dave"), id("erin")]);
    for (const { event, lastEventId } of entries) {
      // Each entry's id is the cursor after it, which holds the entry as a head.
      assert.ok(lastEventId?.split(",").includes(event.hash), `id ${lastEventId} after ${event.hash}`);
    }
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
});

test("a MessagePack sync offer posted back answers an empty payload", async () => {
  const rendered = await silk.GET("/sync/offer");
  assert.ok(rendered.data, JSON.stringify(rendered.error));
  const view: Schemas["SyncOfferView"] = rendered.data;

  const offer = await silk.GET("/sync/offer", { headers: { Accept: "application/msgpack" }, parseAs: "arrayBuffer" });
  assert.equal(offer.response.status, 200);
  assert.equal(offer.response.headers.get("content-type"), "application/msgpack");
  assert.ok(offer.data);
  const offerBytes = new Uint8Array(offer.data);

  // SyncOffer = [protocol_version, heads, bloom, physical_ms, logical], each head an array of its 32 bytes.
  const reader = new MsgPackReader(offerBytes);
  assert.equal(reader.arrayLength(), 5);
  assert.equal(reader.uint(), view.protocol_version);
  const heads: string[] = [];
  for (let h = reader.arrayLength(); h > 0; h--) {
    const bytes: number[] = [];
    for (let b = reader.arrayLength(); b > 0; b--) bytes.push(reader.uint());
    heads.push(Buffer.from(bytes).toString("hex"));
  }
  assert.deepEqual([...heads].sort(), [...view.heads].sort());

  // The request body is bytes, which the generated type (a binary string) does not describe; fetch sends them as they are.
  const post = (accept: string) =>
    fetch(new URL("/sync/offer", baseUrl), {
      method: "POST",
      headers: { "Content-Type": "application/msgpack", Accept: accept, ...authorization },
      body: offerBytes,
      signal: deadline(),
    });

  const answer = await post("application/msgpack");
  assert.equal(answer.status, 200, await answer.clone().text());
  assert.equal(answer.headers.get("content-type"), "application/msgpack");
  // SyncPayload = [entries, need]: this store lacks nothing of its own offer, nor does the offer's sender.
  const payload = new MsgPackReader(new Uint8Array(await answer.arrayBuffer()));
  assert.equal(payload.arrayLength(), 2);
  assert.equal(payload.arrayLength(), 0);
  assert.equal(payload.arrayLength(), 0);
  assert.ok(payload.atEnd);

  const asJson = await post("application/json");
  assert.equal(asJson.status, 200);
  const payloadView: unknown = await asJson.json();
  const empty: Schemas["SyncPayloadView"] = { entries: [], need: [] };
  assert.deepEqual(payloadView, empty);
});
