/** Subjects and options: every bad one is a one-line error naming the component (no server needed). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkSubject, NatsArgumentError, NatsBackplane, NatsPublisher, NatsRequester, NatsResponder, NatsSubscriber } from "../../src/nats/index.js";

const url = "nats://127.0.0.1:1";

test("legal subjects pass; wildcards only for subscribing", () => {
  assert.equal(checkSubject("C", "a.b.c", false), "a.b.c");
  assert.equal(checkSubject("C", "a.*.c", true), "a.*.c");
  assert.equal(checkSubject("C", "a.>", true), "a.>");
});

test("illegal subjects: one clear line naming the component and why", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => NatsPublisher("a b", { url }), /^NatsPublisherComponent_\d+: subject "a b" is not a legal NATS subject: it contains whitespace$/],
    [() => NatsPublisher("a..b", { url }), /subject "a\.\.b" is not a legal NATS subject: it has an empty token/],
    [() => NatsPublisher("a.*", { url }), /wildcards are only for subscribing/],
    [() => NatsSubscriber("a.b*", { url }), /^NatsSubscriberComponent_\d+: .*'\*' must be a whole token, in "b\*"$/],
    [() => NatsSubscriber("a.>.b", { url }), /'>' must be the whole last token/],
    [() => NatsSubscriber("", { url }), /it must be a non-empty string/],
    [() => NatsBackplane("CHAT ROOM", { url }), /^NatsBackplaneComponent_\d+: backplane name "CHAT ROOM" gives subject "kamaelia\.bp\.CHAT ROOM" is not a legal NATS subject: it contains whitespace$/],
    [() => NatsBackplane("*", { url }), /wildcards are only for subscribing/],
    [() => NatsSubscriber("a", { url, queue: "x y" }), /queue must be a group name without spaces or wildcards, got "x y"/],
    [() => NatsSubscriber("a", { url, maxPending: 0 }), /maxPending must be a whole number ≥ 1, got 0/],
    [() => NatsRequester("a", { url, timeoutMs: -1 }), /^NatsRequesterComponent_\d+: timeoutMs must be a whole number ≥ 1, got -1$/],
    [() => NatsResponder("a", {} as { url: string }), /^NatsResponderComponent_\d+: needs a connection: \{ transport \} \(from connectNats\) or \{ url: "nats:\/\/host:port" \}$/],
  ];
  for (const [f, re] of cases) {
    assert.throws(f, (e: Error) => e instanceof NatsArgumentError && re.test(e.message) && !e.message.includes("\n"), String(re));
  }
});
