// @ts-check
const eslint = require("@eslint/js");
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "src/store/generated/**", "data/**", "coverage/**", "test-artifacts/**"] },
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
    // the local console's page: browser modules that tsc checks (// @ts-check), undefined names included
    files: ["src/stand-ins/console/page/**/*.js"],
    languageOptions: { sourceType: "module" },
    rules: { "no-undef": "off" },
  },
  {
    // configuration files and scripts that Node runs as CommonJS
    files: ["*.js", "scripts/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
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
