/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }] },
  // suites start servers and databases; two workers fit the 2-core machine
  maxWorkers: 2,
  // the process tests start the app (tsx compiling the sources) up to four times in one test:
  // over a minute when the 2-core machine is loaded; a limit, not a timing assertion
  testTimeout: 180000,
};
