// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "bench/node_modules/", "bench/results/", "bench/profiles/", ".scratch/", ".readme-check-*/", ".readme-run-*/", ".type-errors-*/", ".snippets-*/", "test-output/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", setImmediate: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", performance: "readonly", AbortController: "readonly", AbortSignal: "readonly", Buffer: "readonly", URL: "readonly", queueMicrotask: "readonly", structuredClone: "readonly", TextDecoder: "readonly", TextEncoder: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/ban-ts-comment": ["error", { "ts-expect-error": false }],
      "require-yield": "off",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
);
