// @ts-check
const eslint = require("@eslint/js");
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "src/store/generated/**", "data/**", "coverage/**", "test-artifacts/**", "**/*.js"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": "off",
    },
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: {
      // the domain stays pure: no I/O, no frameworks
      "no-restricted-imports": ["error", { patterns: ["node:*", "fs", "http", "https", "net", "pg", "@prisma/*", "@slack/*", "../store/*", "../slack/*", "../workflow/*", "../partner-center/*"] }],
    },
  },
  {
    files: ["src/workflow/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@slack/*", "../slack/*"] }],
    },
  },
);
