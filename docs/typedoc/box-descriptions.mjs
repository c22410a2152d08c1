// @ts-check
/**
 * A TypeDoc plugin: a component's box descriptions are its documentation.
 *
 * `static override inboxes = { inbox: "lines to search", control: "…" }`
 * already says, in a string, what each box carries. This plugin gives each
 * of those properties that string as its doc comment, so the API reference
 * shows it and `notDocumented` does not ask for it twice.
 */
import { Comment, Converter, ReflectionKind } from "typedoc";
import ts from "typescript";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (reflection.kind !== ReflectionKind.Property || reflection.comment) return;
    const decl = context.getSymbolFromReflection(reflection)?.valueDeclaration;
    if (decl === undefined || !ts.isPropertyAssignment(decl) || !ts.isStringLiteralLike(decl.initializer)) return;
    const owner = decl.parent.parent;
    if (!ts.isPropertyDeclaration(owner) || !/^(inboxes|outboxes)$/.test(owner.name.getText())) return;
    reflection.comment = new Comment([{ kind: "text", text: decl.initializer.text }]);
  });
}
