// @ts-check
/**
 * TypeDoc: the API reference (`npm run docs`, into docs/api/). The entry
 * points are the package's subpath exports, so what a user can import is
 * what is documented. Warnings are errors and every exported kind must have
 * a doc comment (`npm run docs:check`, part of `npm test`).
 */
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("package.json", import.meta.url), "utf8"));
const entryPoints = Object.values(pkg.exports).map((e) => e.types.replace("./dist/", "./src/").replace(/\.d\.ts$/, ".ts"));

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "Kamaelia for TypeScript",
  entryPoints,
  tsconfig: "tsconfig.build.json",
  out: "docs/api",
  readme: "none",
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  requiredToBeDocumented: ["Enum", "EnumMember", "Variable", "Function", "Class", "Interface", "Property", "Method", "Accessor", "TypeAlias"],
  plugin: ["./docs/typedoc/box-descriptions.mjs"],
  // Helper types that appear in public signatures but are not part of the API themselves.
  intentionallyNotExported: [
    "Microprocess",
    "Member",
    "BoxNamer",
    "Names",
    "AllInboxes",
    "CompatibleInboxes",
    "SinkError",
    "SelfInType",
    "SelfOutType",
    "RemoteSpec",
  ],
};
