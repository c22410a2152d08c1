/**
 * The web visualiser in a real browser (Debian's chromium driven by
 * playwright-core): it draws the chat server's graph, a new client's
 * connection appears within 2 s, a click shows a component's boxes, settings
 * and last messages; the test saves a screenshot to test-output/.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { get, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { chromium } from "playwright-core";
import { startChat } from "../../examples/chat-server.js";
import { System } from "../../src/index.js";
import { Introspector, VisualiserError, startVisualiser, type Snapshot } from "../../src/introspect/index.js";
import { until } from "../net/helpers.js";
import { LineClient } from "../net/line-client.js";
import { onCleanup, stopAfter } from "../support/cleanup.js";

function fetchText(url: string, method = "GET"): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers["content-type"]) }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function chatWithVisualiser() {
  const system = stopAfter(new System());
  const chat = await startChat({ port: 0, system });
  const spy = new Introspector(system, { metricsMs: 200 });
  onCleanup(() => spy.close());
  const vis = await startVisualiser(spy);
  onCleanup(() => vis.close());
  return { system, chat, spy, vis };
}

describe("visualiser", () => {
  it("serves the page, /snapshot and /component/ID on 127.0.0.1; unknown routes and methods are refused", async () => {
    const { vis } = await chatWithVisualiser();
    assert.match(vis.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetchText(vis.url);
    assert.equal(page.status, 200);
    assert.match(page.body, /<svg id="g"/);
    assert.ok(page.body.length < 16_000, `the page is small (${page.body.length} bytes)`);
    const snap = JSON.parse((await fetchText(`${vis.url}snapshot`)).body) as Snapshot;
    const server = snap.components.find((c) => c.class === "ChatServer")!;
    assert.ok(server, "the chat server is in the snapshot");
    const one = JSON.parse((await fetchText(`${vis.url}component/${server.id}`)).body) as { name: string; settings: Record<string, unknown> };
    assert.equal(one.name, server.name);
    assert.equal(one.settings.host, "127.0.0.1");
    assert.equal((await fetchText(`${vis.url}component/999999`)).status, 404);
    assert.equal((await fetchText(`${vis.url}nope`)).status, 404);
    assert.equal((await fetchText(`${vis.url}snapshot`, "POST")).status, 405);
    const elk = await fetchText(`${vis.url}elk.js`);
    assert.equal(elk.status, 200);
  });

  it("a port in use is a one-line error naming the port", async () => {
    const { spy, vis } = await chatWithVisualiser();
    await assert.rejects(startVisualiser(spy, { port: vis.port }), (e: unknown) => {
      assert.ok(e instanceof VisualiserError);
      assert.equal(e.message, `visualiser: port ${vis.port} on 127.0.0.1 is already in use (choose another with --inspect=PORT)`);
      return true;
    });
  });

  it("/events streams a snapshot then deltas; a client that disconnects leaves no watcher behind", async () => {
    const { spy, vis } = await chatWithVisualiser();
    const chunks: string[] = [];
    const req = get(`${vis.url}events`, (res) => {
      res.setEncoding("utf8");
      res.on("data", (d: string) => chunks.push(d));
    });
    onCleanup(() => req.destroy());
    await until(() => chunks.join("").includes('"type":"snapshot"'), "the snapshot on the stream");
    assert.match(chunks.join(""), /^event: batch\ndata: \{"type":"batch","version":1,"seq":1/);
    assert.equal(spy.watchers, 1);
    req.destroy();
    await until(() => spy.watchers === 0, "the watcher to go with the client");
  });

  it("in chromium: draws the chat server, a new connection appears within 2 s, a click shows boxes, settings and last messages", { timeout: 120_000 }, async () => {
    const { vis, chat } = await chatWithVisualiser();
    const profile = mkdtempSync(join(tmpdir(), "kamaelia-chromium-"));
    onCleanup(() => rmSync(profile, { recursive: true, force: true }));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    onCleanup(() => browser.close());
    const page = await browser.newPage();
    await page.goto(vis.url);
    await page.waitForSelector('[data-class="ChatServer"]', { timeout: 30_000 });
    assert.equal(await page.locator('[data-class="Speaker"]').count(), 0);

    const client = new LineClient(chat.address.port);
    await client.connected;
    const connectedAt = Date.now();
    await page.waitForSelector('[data-class="Speaker"]', { timeout: 2000 });
    const took = Date.now() - connectedAt;
    assert.ok(took <= 2000, `the connection appeared in ${took} ms`);
    // The connection's Graphline is drawn with its children inside it, and every link the snapshot has arrived as a delta.
    assert.ok((await page.locator('.compound[data-class="GraphlineComponent"]').count()) >= 1);
    const snapLinks = (JSON.parse((await fetchText(`${vis.url}snapshot`)).body) as Snapshot).links.length;
    await page.waitForFunction(`document.getElementById("status").textContent.includes("${snapLinks} links")`, undefined, { timeout: 10_000 });
    assert.ok(snapLinks >= 15, `the connection's internal links are there (${snapLinks})`);

    client.socket.write("hello visualiser\n");
    await until(() => client.lines.some((l) => l.endsWith(": hello visualiser")), "the echo");
    await page.locator('[data-class="Speaker"]').first().click();
    await page.waitForFunction("document.getElementById('side').textContent.includes('hello visualiser')", undefined, { timeout: 10_000 });
    const side = (await page.locator("#side").textContent()) ?? "";
    assert.match(side, /Speaker_\d+/);
    assert.match(side, /Boxes/);
    assert.match(side, /Settings/);
    assert.match(side, /who/);
    // Live rates: while the client talks, the arrows carry messages per second.
    const talk = setInterval(() => client.socket.write("busy\n"), 20);
    onCleanup(() => clearInterval(talk));
    await page.waitForFunction("[...document.querySelectorAll('.rate')].some((t) => /\\d+\\/s/.test(t.textContent))", undefined, { timeout: 20_000 });
    clearInterval(talk);
    mkdirSync("test-output", { recursive: true });
    await page.screenshot({ path: join("test-output", "visualiser-chat.png"), fullPage: true });
  });
});

